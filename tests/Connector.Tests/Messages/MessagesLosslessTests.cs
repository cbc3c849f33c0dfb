using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Messages.MessagesHostedBlocks;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

#pragma warning disable MEAI001 // The hosted tool contents are experimental in Microsoft.Extensions.AI.

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// A conversation's second turn carries back every block of the first answer that Microsoft.Extensions.AI has no type
/// for, or whose encrypted content the server wants again, verbatim and in place; another protocol's are left out.
/// </summary>
public sealed class MessagesLosslessTests
{
    /// <summary>The name of another protocol that keeps hosted content, which a Messages request leaves out.</summary>
    private static readonly string Other = TestProtocols.Kits.First(kit => kit.HostsTools && kit != MessagesWireFormat.Instance).Name;

    [Fact]
    public async Task Write_HistoryOfAStreamedAnswer_CarriesEveryBlockBackVerbatimInPlace()
    {
        var updates = await CollectAsync(Message("\n", "end_turn", StreamEvents()), int.MaxValue);

        var assistantTurn = SecondRequestAssistantTurn(updates.ToChatResponse());

        JsonAssert.Equal("[" + string.Join(",", Blocks) + "]", assistantTurn);
    }

    [Fact]
    public async Task Write_HistoryOfACompleteAnswer_CarriesEveryBlockBackVerbatimInPlace()
    {
        var response = await GetResponseAsync(MessagesHostedBlocks.Message());

        var assistantTurn = SecondRequestAssistantTurn(response);

        JsonAssert.Equal("[" + string.Join(",", Blocks) + "]", assistantTurn);
    }

    [Fact]
    public void Write_KeptBlocksBesideFunctionCallsAndReasoning_KeepTheirPositions()
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, "Search, then call."),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("Search first.") { ProtectedData = "sig-1" },
                Kept(SearchUse),
                Kept(SearchResult),
                new TextContent("Now the function."),
                new FunctionCallContent("toolu_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_1", "sunny")]),
        };

        var body = Write(messages, NullLoggerFactory());

        JsonAssert.Equal(
            $$$"""
            [
              {"role":"user","content":[{"type":"text","text":"Search, then call."}]},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"Search first.","signature":"sig-1"},
                {{{SearchUse}}},
                {{{SearchResult}}},
                {"type":"text","text":"Now the function."},
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}
              ]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}
            ]
            """,
            body.GetProperty("messages"));
    }

    [Fact]
    public void Write_AnotherProtocolsKeptContent_IsLeftOutWithADebugLine()
    {
        using var log = new LogRecorder();
        var otherItem = WireItems.Keep(new AIContent(), JsonElement.Parse("""{"type":"compaction","id":"cmp_1","encrypted_content":"x"}"""), Other);
        var otherSearch = WireItems.Keep(new WebSearchToolCallContent("ws_1") { Queries = ["q"] }, JsonElement.Parse("""{"type":"x_search_call","id":"ws_1","status":"completed"}"""), Other);
        var unmarkedResult = new CodeInterpreterToolResultContent("ci_1") { Outputs = [new TextContent("4")] };
        var annotatedText = WireItems.Keep(
            new TextContent("Cited elsewhere.") { Annotations = [new CitationAnnotation { Url = new Uri("https://example.test/") }] },
            JsonElement.Parse("""{"type":"x_text","text":"Cited elsewhere.","annotations":[]}"""),
            Other);
        var generatedImage = WireItems.Keep(new DataContent(new byte[] { 1, 2, 3 }, "image/png"), JsonElement.Parse("""{"type":"x_image_call","id":"ig_1","result":"AQID"}"""), Other);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [otherItem, otherSearch, annotatedText, unmarkedResult, generatedImage, new TextContent("Bye.")]),
        };

        var body = Write(messages, log);

        JsonAssert.Equal(
            """[{"type":"text","text":"Cited elsewhere."},{"type":"text","text":"Bye."}]""",
            body.GetProperty("messages")[1].GetProperty("content"));
        var debug = log.Lines.Where(l => l.Level == LogLevel.Debug && l.Text.Contains("left out", StringComparison.Ordinal)).Select(l => l.Text).ToList();
        Assert.Equal(4, debug.Count);
        Assert.Contains(debug, l => l.Contains($"DataContent in message 1 came from the {Other} protocol", StringComparison.Ordinal));
        Assert.Contains(debug, l => l.Contains($"AIContent in message 1 came from the {Other} protocol", StringComparison.Ordinal));
        Assert.Contains(debug, l => l.Contains($"WebSearchToolCallContent in message 1 came from the {Other} protocol", StringComparison.Ordinal));
        Assert.Contains(debug, l => l.Contains("CodeInterpreterToolResultContent", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_AnotherProtocolsReasoning_IsLeftOutWithADebugLineWhileOwnThinkingGoesBack()
    {
        using var log = new LogRecorder();
        var foreign = WireItems.Keep(new TextReasoningContent("Plan.") { ProtectedData = "gAAAAB-encrypted" }, JsonElement.Parse("""{"type":"x_reasoning","id":"r_1","encrypted_content":"gAAAAB-encrypted","summary":[]}"""), Other);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [foreign, new TextReasoningContent("Mine.") { ProtectedData = "sig-2" }, new TextContent("Hello.")]),
        };

        var body = Write(messages, log);

        JsonAssert.Equal(
            """[{"type":"thinking","thinking":"Mine.","signature":"sig-2"},{"type":"text","text":"Hello."}]""",
            body.GetProperty("messages")[1].GetProperty("content"));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Debug && l.Text.Contains($"TextReasoningContent in message 1 came from the {Other} protocol", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_PlainContentOfNoProtocol_IsStillAnError()
    {
        var messages = new List<ChatMessage> { new(ChatRole.Assistant, [new AIContent()]) };

        var error = Assert.Throws<ArgumentException>(() => Write(messages, NullLoggerFactory()));

        Assert.Contains("AIContent", error.Message, StringComparison.Ordinal);
    }

    private static AIContent Kept(string block) => MessagesServerBlocks.Map(JsonElement.Parse(block));

    private static LogRecorder NullLoggerFactory() => new();

    /// <summary>Builds the next request from the answer, as a caller continuing the conversation would, and returns its assistant turn's blocks.</summary>
    private static JsonElement SecondRequestAssistantTurn(ChatResponse response)
    {
        var history = new List<ChatMessage> { new(ChatRole.User, "When was Claude Shannon born?") };
        history.AddRange(response.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Thanks."));

        var messages = Write(history, NullLoggerFactory()).GetProperty("messages");

        Assert.Equal(3, messages.GetArrayLength());
        Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
        return messages[1].GetProperty("content");
    }

    private static JsonElement Write(List<ChatMessage> messages, LogRecorder log) =>
        JsonElement.Parse(MessagesRequestWriter.Write(new ChatRequest { Messages = messages, Model = "claude-test-1", Logger = log.CreateLogger("test") }).Span);
}
