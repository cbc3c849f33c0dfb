using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

#pragma warning disable MEAI001 // The hosted-tool content types are experimental.

namespace YuHuan.Connector.Tests.Responses;

/// <summary>A stateless conversation carries every item of the last response back verbatim, in its position.</summary>
public sealed class ResponsesLosslessTests
{
    /// <summary>The name of another protocol that keeps hosted content, which a Responses request leaves out.</summary>
    private static readonly string Other = TestProtocols.Kits.First(kit => kit.HostsTools && kit != ResponsesWireFormat.Instance).Name;

    private const string Compaction = """{"id":"cmp_1","type":"compaction","encrypted_content":"Y29tcGFjdGVk"}""";

    private const string Citation = """{"type":"url_citation","url":"https://weather.example/paris","title":"Paris weather","start_index":0,"end_index":5}""";

    private static readonly string[] HostedItems =
    [
        ResponsesHostedItemTests.WebSearch,
        ResponsesHostedItemTests.CodeInterpreter,
        ResponsesHostedItemTests.McpCall,
        ResponsesHostedItemTests.McpApproval,
        ResponsesHostedItemTests.ImageGeneration,
        ResponsesHostedItemTests.FileSearch,
        Compaction,
        ResponsesHostedItemTests.Unknown,
    ];

    [Fact]
    public void TwoTurns_Streamed_SecondRequestCarriesEveryItemBackVerbatim()
    {
        var mapper = NewMapper(stored: false);
        var events = new List<string> { Created() };
        var output = new List<string>();
        var index = 0;
        foreach (var item in HostedItems)
        {
            events.Add(Added(index, """{"id":"x","type":"in_progress_item","status":"in_progress"}""".Replace("in_progress_item", JsonElement.Parse(item).GetProperty("type").GetString(), StringComparison.Ordinal)));
            events.Add(Done(index++, item));
            output.Add(item);
        }

        var message = MessageItem("msg_1", "completed", $$"""[{"type":"output_text","annotations":[{{Citation}}],"logprobs":[],"text":"Rainy."}]""");
        events.Add(Added(index, MessageItem("msg_1")));
        events.Add(TextDelta(index, "msg_1", "Rainy."));
        events.Add($$"""{"type":"response.output_text.annotation.added","item_id":"msg_1","output_index":{{index}},"content_index":0,"annotation_index":0,"annotation":{{Citation}}}""");
        events.Add(Done(index, message));
        output.Add(message);
        events.Add(Completed("[" + string.Join(",", output) + "]"));

        var response = Feed(mapper, [.. events]).ToChatResponse();

        AssertSecondTurnCarriesItBack(response);
    }

    [Fact]
    public void TwoTurns_Complete_SecondRequestCarriesEveryItemBackVerbatim()
    {
        var message = MessageItem("msg_1", "completed", $$"""[{"type":"output_text","annotations":[{{Citation}}],"logprobs":[],"text":"Rainy."}]""");
        var response = Read(ResponseObject(status: "completed", output: "[" + string.Join(",", HostedItems) + "," + message + "]", usage: Usage)).ToChatResponse();

        AssertSecondTurnCarriesItBack(response);
    }

    [Fact]
    public void Write_KeptContentOfAnotherProtocol_LeftOutWithADebugLine()
    {
        var log = new LogRecorder();
        var block = JsonElement.Parse("""{"type":"x_search_call","id":"search_1","name":"web_search","input":{"query":"x"}}""");
        var assistant = new ChatMessage(ChatRole.Assistant, [
            new TextContent("Before."),
            WireItems.Keep(new WebSearchToolCallContent("search_1"), block, Other),
            WireItems.Keep(new AIContent(), JsonElement.Parse("""{"type":"compaction","content":"x"}"""), Other),
            new TextContent("After."),
        ]);

        var input = Input([new ChatMessage(ChatRole.User, "q"), assistant, new ChatMessage(ChatRole.User, "next")], log);

        JsonAssert.Equal(
            """
            [{"type":"message","role":"user","content":[{"type":"input_text","text":"q"}]},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Before.","annotations":[]},{"type":"output_text","text":"After.","annotations":[]}]},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"next"}]}]
            """,
            input);
        var lines = log.Lines.Where(l => l.Text.Contains("left out", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(LogLevel.Debug, l.Level));
        Assert.Contains("WebSearchToolCallContent", lines[0].Text, StringComparison.Ordinal);
        Assert.Contains(Other, lines[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_KeptItemSplitsTheAssistantText_ItemBetweenTwoMessages()
    {
        var item = JsonElement.Parse(Compaction);
        var assistant = new ChatMessage(ChatRole.Assistant, [new TextContent("a"), WireItems.Keep(new AIContent(), item, "Responses"), new TextContent("b")]);

        var input = Input([assistant], new LogRecorder());

        JsonAssert.Equal(
            $$"""
            [{"type":"message","role":"assistant","content":[{"type":"output_text","text":"a","annotations":[]}]},
             {{Compaction}},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"b","annotations":[]}]}]
            """,
            input);
    }

    [Fact]
    public void Write_KeptContentInAUserMessage_ThrowsArgumentException()
    {
        var user = new ChatMessage(ChatRole.User, [WireItems.Keep(new AIContent(), JsonElement.Parse(Compaction), "Responses")]);

        Assert.Throws<ArgumentException>(() => Input([user], new LogRecorder()));
    }

    private static void AssertSecondTurnCarriesItBack(ChatResponse response)
    {
        var history = new List<ChatMessage> { new(ChatRole.User, "Weather in Paris?") };
        history.AddRange(response.Messages);
        history.Add(new ChatMessage(ChatRole.User, "And tomorrow?"));
        var log = new LogRecorder();

        var input = Input(history, log);

        var expected = "[" + """{"type":"message","role":"user","content":[{"type":"input_text","text":"Weather in Paris?"}]},"""
            + string.Join(",", HostedItems)
            + ""","""
            + """{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Rainy.","annotations":[""" + Citation + """]}]},"""
            + """{"type":"message","role":"user","content":[{"type":"input_text","text":"And tomorrow?"}]}]""";
        JsonAssert.Equal(expected, input);
        Assert.DoesNotContain(log.Lines, l => l.Text.Contains("left out", StringComparison.Ordinal));
    }

    private static JsonElement Input(List<ChatMessage> messages, ILogger logger)
    {
        var body = ResponsesRequestWriter.Write(new ChatRequest
        {
            Messages = messages,
            Options = new ChatOptions { AdditionalProperties = new() { ["store"] = false } },
            Model = "gpt-test",
            Logger = logger,
        });
        var root = JsonElement.Parse(body.Span);
        Assert.False(root.GetProperty("store").GetBoolean());
        return root.GetProperty("input");
    }
}
