using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Stream mapping over in-memory replays, each case across line endings and whole or trickled delivery.</summary>
public sealed class ChatCompletionsStreamTests
{
    public static TheoryData<string, int> Deliveries => Sse.Deliveries;

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_TextDeltas_YieldsOneUpdatePerChunkWithIds(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"role":"assistant","content":""}"""),
            ChatCompletionsSse.Chunk("""{"content":"Once"}"""),
            ChatCompletionsSse.Chunk("""{"content":" upon"}"""),
            ChatCompletionsSse.Chunk("""{"content":" a time ✨"}"""),
            ChatCompletionsSse.Chunk("{}", "stop"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        Assert.Equal(5, updates.Count);
        Assert.Equal("Once upon a time ✨", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u =>
        {
            Assert.Equal("chatcmpl-1", u.ResponseId);
            Assert.Equal("chatcmpl-1", u.MessageId);
            Assert.Equal("m-1", u.ModelId);
            Assert.Equal(ChatRole.Assistant, u.Role);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), u.CreatedAt);
        });
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Equal(3, updates.Count(u => u.Contents.OfType<TextContent>().Any()));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ReasoningFields_BecomeTextReasoningContent(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"role":"assistant","content":null,"reasoning_content":"Let me "}"""),
            ChatCompletionsSse.Chunk("""{"content":null,"reasoning":"think."}"""),
            ChatCompletionsSse.Chunk("""{"reasoning":"Twice","reasoning_content":"Twice"}"""),
            ChatCompletionsSse.Chunk("""{"content":"Answer"}"""),
            ChatCompletionsSse.Chunk("{}", "stop"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        var reasoning = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text).ToList();
        Assert.Equal(["Let me ", "think.", "Twice"], reasoning);
        Assert.Equal("Answer", string.Concat(updates.Select(u => u.Text)));
        var response = updates.ToChatResponse();
        Assert.Equal("Let me think.Twice", string.Concat(response.Messages[0].Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ToolCallFragments_EmitsOneCompleteCallPerIndex(string eol, int chunk)
    {
        // Arguments split anywhere, even inside an escape sequence of the inner JSON text.
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"role":"assistant","content":null}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{\"zone\":"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"","type":"","function":{"name":"","arguments":"{\"city\":\"Caf\\u00"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"e9 \\\"Tokyo\\\"\",\"days\":3}"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"\"UTC\"}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_a", calls[0].CallId);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.Null(calls[0].Exception);
        Assert.Equal("Café \"Tokyo\"", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal(3, ((JsonElement)calls[0].Arguments!["days"]!).GetInt32());
        Assert.Equal("call_b", calls[1].CallId);
        Assert.Equal("UTC", ((JsonElement)calls[1].Arguments!["zone"]!).GetString());
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.ToolCalls, last.FinishReason);
        Assert.Equal(2, last.Contents.OfType<FunctionCallContent>().Count());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_CallWithoutIdInOneFragment_SynthesizesUniqueIds(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"function":{"name":"a","arguments":"{}"}},{"index":1,"function":{"name":"b","arguments":{"x":1}}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var calls = (await ReplayHandler.CollectAsync(sse, chunk)).SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();

        Assert.Equal(["a", "b"], calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.False(string.IsNullOrEmpty(c.CallId)));
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
        Assert.Empty(calls[0].Arguments!);
        Assert.Equal(1, ((JsonElement)calls[1].Arguments!["x"]!).GetInt32());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_MalformedArguments_ReportedInExceptionNotThrown(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{\"a\": tru"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var call = Assert.Single((await ReplayHandler.CollectAsync(sse, chunk)).SelectMany(u => u.Contents).OfType<FunctionCallContent>());

        Assert.Equal("c1", call.CallId);
        Assert.IsType<InvalidOperationException>(call.Exception);
        Assert.Equal("{\"a\": tru", call.RawRepresentation);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_UsageChunk_OneUsageContentWithCachedAndReasoning(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ": PROCESSING",
            ChatCompletionsSse.Chunk("""{"content":"Hi"}"""),
            ChatCompletionsSse.Chunk("{}", "stop"),
            """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m-1","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":3,"accepted_prediction_tokens":1}}}""",
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(11, usage.InputTokenCount);
        Assert.Equal(7, usage.OutputTokenCount);
        Assert.Equal(18, usage.TotalTokenCount);
        Assert.Equal(4, usage.CachedInputTokenCount);
        Assert.Equal(3, usage.ReasoningTokenCount);
        Assert.Equal(1, usage.AdditionalCounts!["completion_tokens_details.accepted_prediction_tokens"]);
        Assert.Equal(18, updates.ToChatResponse().Usage!.TotalTokenCount);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ErrorInsideStream_ThrowsAfterYieldingReceivedText(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"content":"partial"}"""),
            """{"error":{"message":"upstream overloaded","type":"server_error","code":"overloaded"}}""");
        using var client = new ReplayHandler(sse, chunk: chunk).CreateClient();
        var received = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update);
            }
        });

        Assert.Equal("partial", string.Concat(received.Select(u => u.Text)));
        Assert.Null(ex.StatusCode);
        Assert.Equal("server_error", ex.ErrorType);
        Assert.Equal("overloaded", ex.ErrorCode);
        Assert.Contains("upstream overloaded", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_StreamEndsWithoutFinishOrDone_ThrowsCutOff(string eol, int chunk)
    {
        var sse = Sse.Stream(eol, ChatCompletionsSse.Chunk("""{"content":"Once"}"""), ChatCompletionsSse.Chunk("""{"content":" upon"}"""));
        using var client = new ReplayHandler(sse, chunk: chunk).CreateClient();
        var received = new List<string>();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("Once upon", string.Concat(received));
        Assert.Equal("incomplete_stream", ex.ErrorType);
        Assert.Contains("cut off", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_FinishReasonWithoutDone_CompletesAndFlushesUsage(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"content":"ok"}"""),
            """{"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}""");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        Assert.Equal(ChatFinishReason.Length, updates.Single(u => u.FinishReason is not null).FinishReason);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(3, usage.TotalTokenCount);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_MalformedJsonChunk_ThrowsYuHuanApiExceptionNamingTheProblem(string eol, int chunk)
    {
        var sse = Sse.Stream(eol, ChatCompletionsSse.Chunk("""{"content":"ok"}"""), """{"id":"x","choices":[{"delta":{"content":"unterminated}]""", "[DONE]");
        using var client = new ReplayHandler(sse, chunk: chunk).CreateClient();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                Assert.Equal("ok", update.Text);
            }
        });

        Assert.Contains("not valid JSON", ex.Message);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ReasoningDetailsWithSignatureAndRefusal_AreKept(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"reasoning_details":[{"type":"reasoning.text","text":"hmm","signature":"sig-1"}]}"""),
            ChatCompletionsSse.Chunk("""{"refusal":"I can't help with that."}"""),
            ChatCompletionsSse.Chunk("{}", "content_filter"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        var reasoning = Assert.Single(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>());
        Assert.Equal("hmm", reasoning.Text);
        Assert.Equal("sig-1", reasoning.ProtectedData);
        var refusal = Assert.Single(updates.SelectMany(u => u.Contents).OfType<ErrorContent>());
        Assert.Equal("refusal", refusal.ErrorCode);
        Assert.Equal("I can't help with that.", refusal.Message);
        Assert.Equal(ChatFinishReason.ContentFilter, updates[^1].FinishReason);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_UnknownFieldsAndCustomFinishReason_AreTolerated(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            """{"id":"","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"fp","x_extra":{"deep":[1,2,{"a":null}]},"choices":[{"index":0,"logprobs":null,"delta":{"role":"assistant","content":"x","annotations":[]},"finish_reason":null}]}""",
            ChatCompletionsSse.Chunk("{}", "provider_stop"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        Assert.Equal("x", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(new ChatFinishReason("provider_stop"), updates[^1].FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EventsArriveOneAtATime_YieldsBeforeStreamEnds()
    {
        // A pipe lets the test write the second event only after the first update was observed.
        var pipe = new System.IO.Pipelines.Pipe();
        using var handler = new PipeHandler(pipe.Reader.AsStream());
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ModelId = "m" }, new HttpClient(handler));
        await pipe.Writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Sse.Stream("\n", ChatCompletionsSse.Chunk("""{"content":"first"}"""))));

        await using var enumerator = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal("first", enumerator.Current.Text);

        await pipe.Writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Sse.Stream("\n", ChatCompletionsSse.Chunk("{}", "stop"), "[DONE]")));
        await pipe.Writer.CompleteAsync();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(ChatFinishReason.Stop, enumerator.Current.FinishReason);
        Assert.False(await enumerator.MoveNextAsync());
    }

    private sealed class PipeHandler(Stream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content });
        }
    }
}
