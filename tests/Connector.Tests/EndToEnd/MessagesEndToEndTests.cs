using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// The end-to-end suite over Anthropic Messages: <c>system</c>, <c>messages[].content[]</c> blocks (<c>text</c>,
/// <c>thinking</c>, <c>redacted_thinking</c>, <c>tool_use</c>, <c>tool_result</c>), <c>max_tokens</c>, and the headers
/// <c>x-api-key</c> and <c>anthropic-version</c>; plus the thinking round-trip only this protocol has.
/// </summary>
public sealed class MessagesEndToEndTests : EndToEndSuite
{
    private static readonly AIFunction Add = AIFunctionFactory.Create((int a, int b) => a + b, "add");

    protected override YuHuanProtocol Protocol => YuHuanProtocol.Messages;

    protected override string Path => "/v1/messages";

    protected override string ResponseIdPrefix => "msg_emu_";

    protected override bool ReportsReasoningTokens => false;

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

    protected override void AssertProtocolHeaders(RecordedRequest request)
    {
        Assert.Equal(ApiKey, request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    protected override void AssertStreamingFields(JsonElement body)
    {
        Assert.True(body.GetProperty("max_tokens").GetInt32() > 0, "Messages requires max_tokens");
        Assert.False(body.TryGetProperty("stream_options", out _), "stream_options is Chat Completions' field");
    }

    protected override IReadOnlyList<string> SentInstructions(JsonElement body) =>
        !body.TryGetProperty("system", out var system) ? []
        : system.ValueKind == JsonValueKind.String ? [system.GetString()!]
        : [.. system.EnumerateArray().Select(b => b.GetProperty("text").GetString()!)];

    protected override IReadOnlyList<(string Role, string Text)> SentTurns(JsonElement body) =>
        [.. Messages(body).Select(m => (
            m.GetProperty("role").GetString()!,
            m.GetProperty("content") is { ValueKind: JsonValueKind.String } text
                ? text.GetString()!
                : string.Concat(Blocks(m, "text").Select(b => b.GetProperty("text").GetString()))))];

    protected override IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> SentToolCalls(JsonElement body) =>
        [.. Messages(body, "assistant").SelectMany(m => Blocks(m, "tool_use"))
            .Select(b => (b.GetProperty("id").GetString()!, b.GetProperty("name").GetString()!, b.GetProperty("input").Clone()))];

    protected override IReadOnlyList<(string CallId, string Result)> SentToolResults(JsonElement body) =>
        [.. Messages(body, "user").SelectMany(m => Blocks(m, "tool_result"))
            .Select(b => (b.GetProperty("tool_use_id").GetString()!, ResultText(b.GetProperty("content"))))];

    protected override IReadOnlyList<string> SentReasoning(JsonElement body) =>
        [.. Messages(body, "assistant").SelectMany(m => Blocks(m, "thinking")).Select(b => b.GetProperty("thinking").GetString()!)];

    protected override IReadOnlyList<string> SentStopSequences(JsonElement body) =>
        [.. body.GetProperty("stop_sequences").EnumerateArray().Select(s => s.GetString()!)];

    protected override IReadOnlyList<string> SentToolNames(JsonElement body) =>
        [.. body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];

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
        Assert.Equal([("toolu_r", "8")], SentToolResults(Emulator.Requests[1].Json));
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
        return new ChatClientBuilder(CreateSuiteClient()).UseFunctionInvocation().Build();
    }

    private static List<JsonElement> AssistantBlocks(JsonElement body) =>
        [.. Messages(body, "assistant").Single().GetProperty("content").EnumerateArray()];

    private static IEnumerable<JsonElement> Messages(JsonElement body, string? role = null) =>
        body.GetProperty("messages").EnumerateArray().Where(m => role is null || m.GetProperty("role").GetString() == role);

    private static IEnumerable<JsonElement> Blocks(JsonElement message, string type) =>
        message.GetProperty("content") is { ValueKind: JsonValueKind.Array } content
            ? content.EnumerateArray().Where(b => b.GetProperty("type").GetString() == type)
            : [];

    /// <summary>The text of a <c>tool_result</c>'s content: a string, or text blocks.</summary>
    private static string ResultText(JsonElement content) =>
        content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(b => b.GetProperty("text").GetString()));
}
