using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// Anthropic Messages end to end over loopback, beyond what <see cref="EndToEndTests"/> runs on every protocol: the
/// thinking round-trip only this protocol has (<c>thinking</c> and <c>redacted_thinking</c> blocks with their
/// signatures, before the <c>tool_use</c> blocks).
/// </summary>
public sealed class MessagesEndToEndTests : EmulatorTestBase
{
    private static readonly AIFunction Add = AIFunctionFactory.Create((int a, int b) => a + b, "add");

    [Fact]
    public async Task GetStreamingResponseAsync_ToolLoop_ThinkingSignatureTravelsBackUnchanged() =>
        await AssertThinkingTravelsBackAsync(streaming: true);

    [Fact]
    public async Task GetResponseAsync_ToolLoop_ThinkingSignatureTravelsBackUnchanged() =>
        await AssertThinkingTravelsBackAsync(streaming: false);

    [Fact]
    public async Task GetStreamingResponseAsync_ToolLoop_RedactedThinkingTravelsBackUnchanged() =>
        await AssertRedactedThinkingTravelsBackAsync(streaming: true);

    [Fact]
    public async Task GetResponseAsync_ToolLoop_RedactedThinkingTravelsBackUnchanged() =>
        await AssertRedactedThinkingTravelsBackAsync(streaming: false);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseFunctionInvocation_UnsignedThinking_IsLeftOutOfTheNextRequest(bool streaming)
    {
        Emulator.Enqueue(
            new EmulatorReply().AddReasoning("Unsigned musing.").AddToolCall("toolu_u", "add", """{"a":1,"b":1}"""),
            EmulatorReply.Text("2"));
        using var client = CreateFunctionInvokingClient(out _);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "1+1?")], new ChatOptions { Tools = [Add] });

        Assert.EndsWith("2", response.Text, StringComparison.Ordinal);
        var assistant = AssistantBlocks(Emulator.Requests[1].Json);
        Assert.Equal(["tool_use"], assistant.Select(b => b.GetProperty("type").GetString()));
        Assert.DoesNotContain("Unsigned musing.", Emulator.Requests[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseFunctionInvocation_TwoThinkingBlocksOneWithOnlyASignature_TravelBackAsTwoBlocksInOrder(bool streaming)
    {
        Emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("First thought.", chunkSize: 3, signature: "sig-first")
                .AddReasoning(string.Empty, signature: "sig-only")
                .AddToolCall("toolu_two", "add", """{"a":1,"b":2}"""),
            EmulatorReply.Text("3"));
        using var client = CreateFunctionInvokingClient(out _);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "1+2?")], new ChatOptions { Tools = [Add] });

        Assert.EndsWith("3", response.Text, StringComparison.Ordinal);
        var assistant = AssistantBlocks(Emulator.Requests[1].Json);
        Assert.Equal(["thinking", "thinking", "tool_use"], assistant.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(
            [("First thought.", "sig-first"), (string.Empty, "sig-only")],
            assistant.Take(2).Select(b => (b.GetProperty("thinking").GetString(), b.GetProperty("signature").GetString())));
    }

    /// <summary>
    /// A tool loop whose first reply thinks (in small pieces, with a signature) and calls a tool: the second request
    /// must carry the thinking block with the same text and signature before the <c>tool_use</c> block, then the
    /// <c>tool_result</c> in a user turn.
    /// </summary>
    private async Task AssertThinkingTravelsBackAsync(bool streaming)
    {
        const string Thinking = "Two plus three: add them. Ünïcødé 🎉 and \"quotes\" survive.";
        const string Signature = "sig-EqQBCkYIBxgCKkB+/zZ9==";
        Emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning(Thinking, chunkSize: 5, signature: Signature)
                .AddToolCall("toolu_add", "add", """{"a":2,"b":3}""", fragments: 3)
                .WithUsage(20, 10),
            new EmulatorReply().AddText("2 + 3 = 5", chunkSize: 4).WithUsage(40, 5));
        using var client = CreateFunctionInvokingClient(out var calls);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "2+3?")], new ChatOptions { Tools = [CountingAdd(calls)] });

        Assert.EndsWith("2 + 3 = 5", response.Text, StringComparison.Ordinal);
        Assert.Equal(1, calls.Value);
        var requests = Emulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(streaming, r.IsStreaming));

        var turns = Messages(requests[1].Json).ToList();
        Assert.Equal(["user", "assistant", "user"], turns.Select(m => m.GetProperty("role").GetString()));
        var assistant = turns[1].GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["thinking", "tool_use"], assistant.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(Thinking, assistant[0].GetProperty("thinking").GetString());
        Assert.Equal(Signature, assistant[0].GetProperty("signature").GetString());
        Assert.Equal("toolu_add", assistant[1].GetProperty("id").GetString());
        Assert.Equal("add", assistant[1].GetProperty("name").GetString());
        Assert.Equal(3, assistant[1].GetProperty("input").GetProperty("b").GetInt32());

        var result = Assert.Single(turns[2].GetProperty("content").EnumerateArray());
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal("toolu_add", result.GetProperty("tool_use_id").GetString());
        Assert.Equal("5", ResultText(result.GetProperty("content")));
    }

    /// <summary>
    /// A tool loop whose first reply has a redacted thinking block between a signed thinking block and the call: the
    /// second request carries both, in order, with the redacted block's data as it came.
    /// </summary>
    private async Task AssertRedactedThinkingTravelsBackAsync(bool streaming)
    {
        const string Data = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pjmN+Q==";
        Emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("Visible part.", chunkSize: 4, signature: "sig-visible")
                .AddRedactedReasoning(Data)
                .AddToolCall("toolu_r", "add", """{"a":4,"b":4}"""),
            EmulatorReply.Text("8"));
        using var client = CreateFunctionInvokingClient(out var calls);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "4+4?")], new ChatOptions { Tools = [CountingAdd(calls)] });

        Assert.EndsWith("8", response.Text, StringComparison.Ordinal);
        Assert.Equal(1, calls.Value);
        var assistant = AssistantBlocks(Emulator.Requests[1].Json);
        Assert.Equal(["thinking", "redacted_thinking", "tool_use"], assistant.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Visible part.", assistant[0].GetProperty("thinking").GetString());
        Assert.Equal("sig-visible", assistant[0].GetProperty("signature").GetString());
        Assert.Equal(Data, assistant[1].GetProperty("data").GetString());
        Assert.Equal(["data", "type"], assistant[1].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal([("toolu_r", "8")], MessagesWireFormat.Instance.ToolResults(Emulator.Requests[1].Json));
    }

    private static AIFunction CountingAdd(StrongBox<int> calls) => AIFunctionFactory.Create(
        (int a, int b) =>
        {
            calls.Value++;
            return a + b;
        },
        "add");

    private IChatClient CreateFunctionInvokingClient(out StrongBox<int> calls)
    {
        calls = new StrongBox<int>();
        return new ChatClientBuilder(CreateClient(o => o.Protocol = YuHuanProtocol.Messages)).UseFunctionInvocation().Build();
    }

    /// <summary>Gets a response, streamed (and put together from its updates) or whole.</summary>
    private static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, IList<ChatMessage> messages, ChatOptions? options = null)
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

    private static List<JsonElement> AssistantBlocks(JsonElement body) =>
        [.. Messages(body, "assistant").Single().GetProperty("content").EnumerateArray()];

    private static IEnumerable<JsonElement> Messages(JsonElement body, string? role = null) =>
        body.GetProperty("messages").EnumerateArray().Where(m => role is null || m.GetProperty("role").GetString() == role);

    /// <summary>The text of a <c>tool_result</c>'s content: a string, or text blocks.</summary>
    private static string ResultText(JsonElement content) =>
        content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(b => b.GetProperty("text").GetString()));
}
