using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>The client against the emulator over real loopback HTTP.</summary>
public sealed class ChatCompletionsEndToEndTests : EmulatorTestBase
{
    [Fact]
    public async Task GetStreamingResponseAsync_Story_StreamsReasoningThenTextWithUsage()
    {
        using var client = CreateClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Tell me a story."))
        {
            updates.Add(update);
        }

        var contents = updates.SelectMany(u => u.Contents).ToList();
        var firstReasoning = contents.FindIndex(c => c is TextReasoningContent);
        var firstText = contents.FindIndex(c => c is TextContent);
        Assert.True(firstReasoning >= 0 && firstText > firstReasoning, "reasoning comes before text");
        Assert.True(updates.Count(u => u.Contents.OfType<TextContent>().Any()) > 5, "text arrives in many updates");
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage!.OutputTokenCount > 0);
        Assert.True(response.Usage.ReasoningTokenCount > 0);
        Assert.StartsWith("chatcmpl-emu-", response.ResponseId, StringComparison.Ordinal);
        Assert.Equal("yuhuan-test", response.ModelId);

        var request = Assert.Single(Emulator.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + ApiKey, request.Headers["Authorization"]);
        Assert.True(request.IsStreaming);
        Assert.True(request.Json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task GetResponseAsync_ReasoningTextAndToolCalls_MapsWholeCompletion()
    {
        Emulator.Enqueue(new EmulatorReply()
            .WithId("chatcmpl-42")
            .AddReasoning("Need the weather.")
            .AddText("Checking.")
            .AddToolCall("call_1", "get_weather", """{"city":"Paris"}""")
            .AddToolCall(null, "get_time", """{"zone":"CET"}""")
            .WithUsage(30, 12, cachedInputTokens: 10, reasoningTokens: 4));
        using var client = CreateClient();

        var response = await client.GetResponseAsync("Weather and time in Paris?");

        Assert.False(Emulator.Requests[0].IsStreaming);
        Assert.Equal("chatcmpl-42", response.ResponseId);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("Need the weather.", Assert.Single(message.Contents.OfType<TextReasoningContent>()).Text);
        Assert.Equal("Checking.", message.Text);
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["get_weather", "get_time"], calls.Select(c => c.Name));
        Assert.Equal("call_1", calls[0].CallId);
        Assert.False(string.IsNullOrEmpty(calls[1].CallId));
        Assert.Equal("CET", ((JsonElement)calls[1].Arguments!["zone"]!).GetString());
        Assert.Equal(30, response.Usage!.InputTokenCount);
        Assert.Equal(10, response.Usage.CachedInputTokenCount);
        Assert.Equal(4, response.Usage.ReasoningTokenCount);
        Assert.Equal(42, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ParallelToolCallsInFragments_EachCallOnceAndComplete()
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddToolCall("call_a", "search", """{"query":"güte \"quoted\" \\ path","limit":5}""", fragments: 7)
            .AddToolCall("call_b", "search", """{"query":"second","limit":1}""", fragments: 4)
            .WithLineEnding("\r\n")
            .WithComments());
        using var client = CreateClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Search twice."))
        {
            updates.Add(update);
        }

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal("güte \"quoted\" \\ path", ((JsonElement)calls[0].Arguments!["query"]!).GetString());
        Assert.Equal(1, ((JsonElement)calls[1].Arguments!["limit"]!).GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_HttpError_ThrowsWithStatusTypeCodeAndMessage()
    {
        Emulator.Enqueue(EmulatorReply.HttpError(400, "max_tokens is too large", "invalid_request_error", "context_length_exceeded"));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("invalid_request_error", ex.ErrorType);
        Assert.Equal("context_length_exceeded", ex.ErrorCode);
        Assert.Contains("max_tokens is too large", ex.Message);
        Assert.Single(Emulator.Requests);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WrongApiKey_Throws401WithoutLeakingTheKey()
    {
        using var client = CreateClient(o => o.ApiKey = "sk-wrong-key-value-987654321");

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi"))
            {
            }
        });

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("authentication_error", ex.ErrorType);
        Assert.DoesNotContain("987654321", ex.ToString());
        Assert.DoesNotContain("987654321", client.ToString());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorInsideStream_YieldsTextThenThrows()
    {
        Emulator.Enqueue(new EmulatorReply().AddText("Half a sen", chunkSize: 4).WithStreamError("The upstream model failed.", "server_error", "upstream_error"));
        using var client = CreateClient();
        var text = new List<string>();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                text.Add(update.Text);
            }
        });

        Assert.Equal("Half a sen", string.Concat(text));
        Assert.Null(ex.StatusCode);
        Assert.Equal("upstream_error", ex.ErrorCode);
        Assert.Contains("The upstream model failed.", ex.Message);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TruncatedStream_ThrowsCutOffAfterText()
    {
        Emulator.Enqueue(new EmulatorReply().AddText("Once upon a time").Truncated());
        using var client = CreateClient();
        var text = new List<string>();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                text.Add(update.Text);
            }
        });

        Assert.Equal("Once upon a time", string.Concat(text));
        Assert.Equal("incomplete_stream", ex.ErrorType);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConnectionDroppedMidStream_ThrowsYuHuanApiException()
    {
        // The emulator resets the connection after three events; a reset can discard bytes the client had not read yet,
        // so the client may see anything from no response at all (then it retries: nothing was received) to three events.
        Emulator.Enqueue(new EmulatorReply().AddText("one two three four five", chunkSize: 4).DropConnectionAfter(3));
        using var client = CreateClient(o => o.MaxRetries = 0);
        var count = 0;

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi"))
            {
                count++;
            }
        });

        Assert.InRange(count, 0, 3);
        Assert.Null(ex.StatusCode);
        Assert.Single(Emulator.Requests);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_429WithRetryAfter_RetriesWithTheSameBodyAndSucceeds()
    {
        Emulator.Enqueue(
            EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error", retryAfter: TimeSpan.FromSeconds(1)),
            EmulatorReply.Text("Recovered."));
        using var client = CreateClient();
        var watch = Stopwatch.StartNew();

        var text = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            text.Add(update.Text);
        }

        Assert.Equal("Recovered.", string.Concat(text));
        Assert.Equal(2, Emulator.Requests.Count);
        Assert.Equal(Emulator.Requests[0].Body, Emulator.Requests[1].Body);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited only {watch.Elapsed} for Retry-After: 1");
    }

    [Fact]
    public async Task GetResponseAsync_RetriesExhausted_ThrowsLastFailure()
    {
        Emulator.Enqueue(
            EmulatorReply.HttpError(503, "busy", retryAfter: TimeSpan.Zero),
            EmulatorReply.HttpError(502, "bad gateway", retryAfter: TimeSpan.Zero),
            EmulatorReply.HttpError(500, "still broken", retryAfter: TimeSpan.Zero),
            EmulatorReply.Text("never reached"));
        using var client = CreateClient(o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("still broken", ex.Message);
        Assert.Equal(3, Emulator.Requests.Count);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterLongerThanMaxRetryDelay_FailsAtOnceWithRetryAfter()
    {
        Emulator.Enqueue(EmulatorReply.HttpError(429, "quota", "rate_limit_error", retryAfter: TimeSpan.FromSeconds(120)));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Single(Emulator.Requests);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CancelledMidStream_ThrowsOperationCanceledPromptly()
    {
        Emulator.Enqueue(new EmulatorReply().AddText("slow text arriving", chunkSize: 5).WithDelayBetweenEvents(TimeSpan.FromSeconds(30)));
        using var client = CreateClient();
        using var cts = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"cancellation took {watch.Elapsed}");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ServerStallsMidStream_NetworkTimeoutFires()
    {
        Emulator.Enqueue(new EmulatorReply().AddText("a b c d").WithDelayBetweenEvents(TimeSpan.FromSeconds(30)));
        using var client = CreateClient(o => o.NetworkTimeout = TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi"))
            {
            }
        });

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Equal("timeout", ex.ErrorType);
    }

    [Fact]
    public async Task GetResponseAsync_ServerStallsBeforeHeaders_NetworkTimeoutFires()
    {
        Emulator.Enqueue(EmulatorReply.Text("late").WithDelayBeforeHeaders(TimeSpan.FromSeconds(30)));
        using var client = CreateClient(o => o.NetworkTimeout = TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task GetResponseAsync_EndpointWithoutTrailingSlash_Works()
    {
        using var client = CreateClient(o => o.Endpoint = new Uri(Emulator.Endpoint.AbsoluteUri.TrimEnd('/')));

        var response = await client.GetResponseAsync("Tell me a story.");

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal("/v1/chat/completions", Assert.Single(Emulator.Requests).Path);
    }

    [Fact]
    public async Task UseFunctionInvocation_FullToolLoop_RunsFunctionAndSendsResultBack()
    {
        Emulator.Enqueue(
            new EmulatorReply().AddToolCall("call_w", "get_weather", """{"city":"Paris"}""", fragments: 3),
            EmulatorReply.Text("It is sunny in Paris."));
        var calledWith = new List<string>();
        var weather = AIFunctionFactory.Create(
            (string city) =>
            {
                calledWith.Add(city);
                return $"sunny in {city}";
            },
            "get_weather");
        using var inner = CreateClient();
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("Weather in Paris?", new ChatOptions { Tools = [weather] });

        Assert.Equal(["Paris"], calledWith);
        Assert.Equal("It is sunny in Paris.", response.Text);
        Assert.Equal(2, Emulator.Requests.Count);
        var messages = Emulator.Requests[1].Json.GetProperty("messages");
        var assistant = messages[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        Assert.Equal("call_w", assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("""{"city":"Paris"}""", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        var tool = messages[2];
        Assert.Equal("tool", tool.GetProperty("role").GetString());
        Assert.Equal("call_w", tool.GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny in Paris", tool.GetProperty("content").GetString());
    }

    [Fact]
    public async Task UseFunctionInvocation_StreamingToolLoop_ReturnsFinalTextAndReasoningGoesBack()
    {
        Emulator.Enqueue(
            new EmulatorReply().AddReasoning("I should add.").AddToolCall("call_add", "add", """{"a":2,"b":3}""", fragments: 2),
            EmulatorReply.Text("2 + 3 = 5"));
        var add = AIFunctionFactory.Create((int a, int b) => a + b, "add");
        using var inner = CreateClient();
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("2+3?", new ChatOptions { Tools = [add] }))
        {
            updates.Add(update);
        }

        Assert.EndsWith("2 + 3 = 5", string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
        var second = Emulator.Requests[1].Json.GetProperty("messages");
        Assert.Equal("I should add.", second[1].GetProperty("reasoning_content").GetString());
        Assert.Equal("5", second[2].GetProperty("content").GetString());
    }
}
