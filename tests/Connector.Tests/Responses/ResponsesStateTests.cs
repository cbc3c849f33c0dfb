using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Responses;

#pragma warning disable MEAI001 // Background responses are experimental in Microsoft.Extensions.AI.

/// <summary>
/// Responses state over loopback: a function-invoking loop chained with <c>previous_response_id</c>, the same loop
/// stateless (<c>store: false</c>) carrying its whole history with the encrypted reasoning, and background responses
/// resumed or polled with a continuation token.
/// </summary>
public sealed class ResponsesStateTests : EmulatorTestBase
{
    private static readonly AIFunction Add = AIFunctionFactory.Create((int a, int b) => a + b, "add");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseFunctionInvocation_Stored_SecondRequestChainsAndCarriesOnlyTheFunctionOutput(bool streaming)
    {
        Emulator.Enqueue(
            new EmulatorReply().AddReasoning("I should add.", chunkSize: 4, signature: "enc-1").AddToolCall("call_add", "add", """{"a":2,"b":3}""", fragments: 3).WithId("resp_first"),
            EmulatorReply.Text("2 + 3 = 5").WithId("resp_second"));
        using var client = new ChatClientBuilder(CreateResponsesClient()).UseFunctionInvocation().Build();

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "2+3?")], new ChatOptions { Tools = [Add] });

        Assert.EndsWith("2 + 3 = 5", response.Text, StringComparison.Ordinal);
        var requests = Emulator.Requests;
        Assert.Equal(2, requests.Count);
        var first = requests[0].Json;
        Assert.False(first.TryGetProperty("previous_response_id", out _));
        var second = requests[1].Json;
        Assert.Equal("resp_first", second.GetProperty("previous_response_id").GetString());
        var item = Assert.Single(second.GetProperty("input").EnumerateArray());
        Assert.Equal("function_call_output", item.GetProperty("type").GetString());
        Assert.Equal("call_add", item.GetProperty("call_id").GetString());
        Assert.Equal("5", item.GetProperty("output").GetString());
        Assert.False(second.TryGetProperty("include", out _));

        // The final response names the stored response a next turn would chain from.
        Assert.Equal("resp_second", response.ConversationId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseFunctionInvocation_NotStored_SecondRequestCarriesTheWholeHistoryWithEncryptedReasoning(bool streaming)
    {
        Emulator.Enqueue(
            new EmulatorReply().AddReasoning("I should add.", chunkSize: 4, signature: "enc-1").AddToolCall("call_add", "add", """{"a":2,"b":3}""", fragments: 3),
            EmulatorReply.Text("2 + 3 = 5"));
        using var client = new ChatClientBuilder(CreateResponsesClient()).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [Add], AdditionalProperties = new() { ["store"] = false } };

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "2+3?")], options);

        Assert.EndsWith("2 + 3 = 5", response.Text, StringComparison.Ordinal);
        Assert.Null(response.ConversationId);
        var requests = Emulator.Requests;
        Assert.Equal(2, requests.Count);
        foreach (var request in requests)
        {
            Assert.False(request.Json.GetProperty("store").GetBoolean());
            Assert.Equal(["reasoning.encrypted_content"], request.Json.GetProperty("include").EnumerateArray().Select(e => e.GetString()));
            Assert.False(request.Json.TryGetProperty("previous_response_id", out _));
        }

        var input = requests[1].Json.GetProperty("input").EnumerateArray().ToList();
        Assert.Equal(["message", "reasoning", "function_call", "function_call_output"], input.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("user", input[0].GetProperty("role").GetString());
        var reasoning = input[1];
        Assert.StartsWith("rs_", reasoning.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("enc-1", reasoning.GetProperty("encrypted_content").GetString());
        Assert.Equal("I should add.", string.Concat(reasoning.GetProperty("summary").EnumerateArray().Select(s => s.GetProperty("text").GetString())));
        Assert.Equal("call_add", input[2].GetProperty("call_id").GetString());
        Assert.Equal("add", input[2].GetProperty("name").GetString());
        Assert.Equal(2, JsonDocument.Parse(input[2].GetProperty("arguments").GetString()!).RootElement.GetProperty("a").GetInt32());
        Assert.Equal("5", input[3].GetProperty("output").GetString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public async Task GetStreamingResponseAsync_BackgroundStreamCut_ResumedWithTheTokenYieldsEveryPieceOnce(int eventsBeforeCut)
    {
        var pieces = Enumerable.Range(0, 12).Select(i => $"p{i:D2} ").ToArray();
        var reply = new EmulatorReply().AddToolCall("call_bg", "add", """{"a":1,"b":2}""", fragments: 4);
        foreach (var piece in pieces)
        {
            reply.AddText(piece, chunkSize: piece.Length);
        }

        Emulator.Enqueue(reply.WithUsage(7, 12).DropConnectionAfter(eventsBeforeCut));

        // No retries: the cut stream fails, and the caller resumes it with the last token it received.
        using var client = CreateResponsesClient(o => o.MaxRetries = 0);
        var options = new ChatOptions { AllowBackgroundResponses = true };
        var updates = new List<ChatResponseUpdate>();
        await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Count.", options))
            {
                updates.Add(update);
            }
        });

        var token = updates.LastOrDefault(u => u.ContinuationToken is not null)?.ContinuationToken;
        if (token is null)
        {
            // The cut came before the response id: nothing to resume, and nothing was lost either.
            Assert.DoesNotContain(updates, u => u.Contents.Count > 0);
            return;
        }

        // Through the bytes, as a caller that kept the token would.
        var restored = ResponseContinuationToken.FromBytes(token.ToBytes().ToArray());
        await foreach (var update in client.GetStreamingResponseAsync([], new ChatOptions { ContinuationToken = restored }))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal(string.Concat(pieces), response.Text);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_bg", call.CallId);
        Assert.Equal(2, ((JsonElement)call.Arguments!["b"]!).GetInt32());
        Assert.Equal(12, response.Usage?.OutputTokenCount);
        Assert.Null(updates[^1].ContinuationToken);
        var resume = Emulator.Requests[^1];
        Assert.Equal("GET", resume.Method);
        Assert.Contains("starting_after=", resume.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_BackgroundStreamCut_TheClientResumesItByItself()
    {
        var pieces = Enumerable.Range(0, 10).Select(i => $"w{i} ").ToArray();
        var reply = new EmulatorReply();
        foreach (var piece in pieces)
        {
            reply.AddText(piece, chunkSize: piece.Length);
        }

        Emulator.Enqueue(reply.WithUsage(3, 10).DropConnectionAfter(7));
        using var client = CreateResponsesClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Count.", new ChatOptions { AllowBackgroundResponses = true }))
        {
            updates.Add(update);
        }

        Assert.Equal(string.Concat(pieces), updates.ToChatResponse().Text);
        Assert.All(updates[..^1], u => Assert.NotNull(u.ContinuationToken));
        Assert.Null(updates[^1].ContinuationToken);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        var requests = Emulator.Requests;
        Assert.Equal(["POST", "GET"], requests.Select(r => r.Method));
        Assert.True(requests[0].Json.GetProperty("background").GetBoolean());
    }

    [Fact]
    public async Task GetResponseAsync_Background_PollsWithTheTokenUntilComplete()
    {
        Emulator.Enqueue(EmulatorReply.Text("Done at last.").WithUsage(4, 3).WithPollsBeforeCompletion(2));
        using var client = CreateResponsesClient();

        var response = await client.GetResponseAsync("Work slowly.", new ChatOptions { AllowBackgroundResponses = true });
        var polls = 0;
        while (response.ContinuationToken is { } token)
        {
            Assert.True(++polls < 10, "the background response never completed");
            response = await client.GetResponseAsync([], new ChatOptions { ContinuationToken = token });
        }

        Assert.Equal("Done at last.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(3, polls);
        Assert.Equal(["POST", "GET", "GET", "GET"], Emulator.Requests.Select(r => r.Method));
        Assert.All(Emulator.Requests.Skip(1), r => Assert.Equal(string.Empty, r.Query));
    }

    [Fact]
    public async Task GetResponseAsync_ContinuationTokenWithMessages_IsAnArgumentException()
    {
        using var client = CreateResponsesClient();
        var token = ResponseContinuationToken.FromBytes("{\"response_id\":\"resp_1\"}"u8.ToArray());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("more", new ChatOptions { ContinuationToken = token }));

        Assert.Contains("no messages", error.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_ForeignContinuationToken_IsAnArgumentException()
    {
        using var client = CreateResponsesClient();
        var token = ResponseContinuationToken.FromBytes(new byte[] { 1, 2, 3 });

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([], new ChatOptions { ContinuationToken = token }));
        Assert.Empty(Emulator.Requests);
    }

    private YuHuanChatClient CreateResponsesClient(Action<YuHuanChatClientOptions>? configure = null) => CreateClient(o =>
    {
        o.Protocol = YuHuanProtocol.Responses;
        configure?.Invoke(o);
    });

    private static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, IList<ChatMessage> messages, ChatOptions options)
    {
        if (!streaming)
        {
            return await client.GetResponseAsync(messages, options);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }
}
