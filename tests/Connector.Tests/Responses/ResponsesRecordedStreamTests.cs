using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>
/// Shapes recorded from real Responses servers: a terminal output listed by position while the stream skipped an index,
/// items completing out of order, and the fields of known items the mapping does not use; the next request is compared
/// as JSON, from the live history and from the history after a JSON round trip.
/// </summary>
public sealed class ResponsesRecordedStreamTests
{
    private const string Commentary = "Let me look that up.";
    private const string Answer = "It is sunny in Paris.";

    private const string Citation = """{"type":"url_citation","url":"https://weather.example/paris","title":"Paris weather","start_index":0,"end_index":5}""";

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void OnEvent_PhasedOutputWithASkippedIndex_FinalAnswerReportedOnce(bool textDone, bool rotatedIds)
    {
        var commentary = MessageItem("msg_c", "completed", $"[{OutputText(Commentary)}]", "commentary");
        var answer = MessageItem("msg_f", "completed", $"[{OutputText(Answer)}]", "final_answer");
        var events = new List<string>
        {
            Created(),
            Added(0, MessageItem("msg_c", phase: "commentary")),
            TextDelta(0, "msg_c", Commentary),
            Done(0, commentary),
            Added(2, MessageItem("msg_f", phase: "final_answer")),
            TextDelta(2, "msg_f", "It is sunny "),
            TextDelta(2, "msg_f", "in Paris."),
        };
        if (textDone)
        {
            events.Add($$"""{"type":"response.output_text.done","item_id":"msg_f","output_index":2,"content_index":0,"text":"{{Answer}}","logprobs":[]}""");
        }

        events.Add(Done(2, answer));

        // The terminal output lists the two messages at positions 0 and 1; a server that rotates ids names them anew.
        var terminal = rotatedIds ? "[" + commentary.Replace("msg_c", "msg_x1", StringComparison.Ordinal) + "," + answer.Replace("msg_f", "msg_x2", StringComparison.Ordinal) + "]" : "[" + commentary + "," + answer + "]";
        events.Add(Completed(terminal));

        var response = Feed(NewMapper(), [.. events]).ToChatResponse();

        Assert.Equal(Commentary + Answer, string.Concat(response.Messages.Select(m => m.Text)));
        Assert.Equal([Commentary, Answer], response.Messages.Select(m => m.Text));
    }

    [Fact]
    public void OnEvent_TerminalOutputHoldsAnItemTheStreamNeverSent_ItemReportedOnce()
    {
        var answer = MessageItem("msg_f", "completed", $"[{OutputText(Answer)}]");
        var late = MessageItem("msg_late", "completed", $"[{OutputText("Late.")}]");

        var response = Feed(
            NewMapper(),
            Created(),
            Added(1, MessageItem("msg_f")),
            TextDelta(1, "msg_f", Answer),
            Done(1, answer),
            Completed("[" + answer + "," + late + "]")).ToChatResponse();

        Assert.Equal(Answer + "Late.", string.Concat(response.Messages.Select(m => m.Text)));
    }

    [Fact]
    public void OnEvent_CallsDoneOutOfOrder_HistoryInOutputIndexOrderAsTheCompleteResponse()
    {
        static string Call(int n, string status = "completed") =>
            FunctionCallItem("fc_" + n, "call_" + n, "get_weather", status == "completed" ? "{\\\"n\\\":" + n + "}" : string.Empty, status);

        var (streamed, complete) = OutOfOrder(Call);

        var fromComplete = NextInput(complete.Messages);
        JsonAssert.Equal(fromComplete.GetRawText(), NextInput(streamed.Messages));
        JsonAssert.Equal(fromComplete.GetRawText(), NextInput(NextTurn.RoundTrip(streamed.Messages)));
        var calls = fromComplete.EnumerateArray().Where(i => i.GetProperty("type").GetString() == "function_call").Select(i => i.GetProperty("call_id").GetString());
        Assert.Equal(["call_1", "call_2", "call_3", "call_4", "call_5"], calls);
    }

    [Fact]
    public void OnEvent_HostedItemsDoneOutOfOrder_HistoryInOutputIndexOrderAsTheCompleteResponse()
    {
        static string Search(int n, string status = "completed") =>
            $$$"""{"id":"ws_{{{n}}}","type":"web_search_call","status":"{{{status}}}","action":{"type":"search","query":"q{{{n}}}"}}""";

        var (streamed, complete) = OutOfOrder(Search);

        var fromComplete = NextInput(complete.Messages);
        JsonAssert.Equal(fromComplete.GetRawText(), NextInput(streamed.Messages));
        var ids = fromComplete.EnumerateArray().Where(i => i.TryGetProperty("id", out _)).Select(i => i.GetProperty("id").GetString());
        Assert.Equal(["rs_0", "ws_1", "ws_2", "ws_3", "ws_4", "ws_5"], ids);
    }

    [Fact]
    public void TwoTurns_PhasedMessagesWithAnnotations_NextRequestKeepsPhaseAndAnnotations()
    {
        var commentary = MessageItem("msg_c", "completed", $"[{OutputText(Commentary)}]", "commentary");
        var answer = MessageItem("msg_f", "completed", $$"""[{"type":"output_text","annotations":[{{Citation}}],"logprobs":[],"text":"{{Answer}}"}]""", "final_answer");
        var streamedEvents = new[]
        {
            Created(),
            Added(0, MessageItem("msg_c", phase: "commentary")),
            TextDelta(0, "msg_c", Commentary),
            Done(0, commentary),
            Added(1, MessageItem("msg_f", phase: "final_answer")),
            TextDelta(1, "msg_f", Answer),
            $$"""{"type":"response.output_text.annotation.added","item_id":"msg_f","output_index":1,"content_index":0,"annotation_index":0,"annotation":{{Citation}}}""",
            Done(1, answer),
            Completed("[" + commentary + "," + answer + "]"),
        };
        var expected = $$"""
            [{"type":"message","role":"assistant","phase":"commentary","content":[{"type":"output_text","text":"{{Commentary}}","annotations":[]}]},
             {"type":"message","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"{{Answer}}","annotations":[{{Citation}}]}]}]
            """;

        var streamed = Feed(NewMapper(stored: false), streamedEvents).ToChatResponse();
        var complete = Read(ResponseObject(status: "completed", output: "[" + commentary + "," + answer + "]", usage: Usage), NewMapper(stored: false)).ToChatResponse();

        JsonAssert.Equal(expected, NextInput(streamed.Messages));
        JsonAssert.Equal(expected, NextInput(NextTurn.RoundTrip(streamed.Messages)));
        JsonAssert.Equal(expected, NextInput(complete.Messages));
        JsonAssert.Equal(expected, NextInput(NextTurn.RoundTrip(complete.Messages)));
    }

    [Fact]
    public void TwoTurns_RawReasoningContent_GoesBackAsContent()
    {
        var reasoning = ReasoningItem("rs_raw", encrypted: "ZW5j", content: """[{"type":"reasoning_text","text":"Thinking."}]""");
        var message = MessageItem("msg_1", "completed", $"[{OutputText(Answer)}]");
        var expected = $$"""
            [{"type":"reasoning","id":"rs_raw","summary":[],"content":[{"type":"reasoning_text","text":"Thinking."}],"encrypted_content":"ZW5j"},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"{{Answer}}","annotations":[]}]}]
            """;

        var streamed = Feed(
            NewMapper(stored: false),
            Created(),
            Added(0, ReasoningItem("rs_raw")),
            ReasoningTextDelta(0, "rs_raw", "Think"),
            ReasoningTextDelta(0, "rs_raw", "ing."),
            Done(0, reasoning),
            Added(1, MessageItem("msg_1")),
            TextDelta(1, "msg_1", Answer),
            Done(1, message),
            Completed("[" + reasoning + "," + message + "]")).ToChatResponse();
        var complete = Read(ResponseObject(status: "completed", output: "[" + reasoning + "," + message + "]", usage: Usage), NewMapper(stored: false)).ToChatResponse();

        JsonAssert.Equal(expected, NextInput(streamed.Messages));
        JsonAssert.Equal(expected, NextInput(NextTurn.RoundTrip(streamed.Messages)));
        JsonAssert.Equal(expected, NextInput(complete.Messages));
        JsonAssert.Equal(expected, NextInput(NextTurn.RoundTrip(complete.Messages)));
    }

    [Fact]
    public void TwoTurns_UnknownFieldsOfKnownItems_SentBackInPlace()
    {
        var reasoning = """{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"Plan."}],"encrypted_content":"ZW5j","origin":{"shard":3}}""";
        var message = """{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"text":"Checking."}],"trace":"t-1"}""";
        var call = """{"id":"fc_1","type":"function_call","status":"completed","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","namespace":"weather","caller":{"type":"code_execution","tool_id":"ci_1"}}""";
        var expected = """
            [{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Plan."}],"encrypted_content":"ZW5j","origin":{"shard":3}},
             {"type":"message","role":"assistant","trace":"t-1","content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
             {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","namespace":"weather","caller":{"type":"code_execution","tool_id":"ci_1"}}]
            """;

        var streamed = Feed(
            NewMapper(stored: false),
            Created(),
            Added(0, reasoning.Replace("\"encrypted_content\":\"ZW5j\",", string.Empty, StringComparison.Ordinal).Replace("[{\"type\":\"summary_text\",\"text\":\"Plan.\"}]", "[]", StringComparison.Ordinal)),
            SummaryDelta(0, "rs_1", "Plan."),
            Done(0, reasoning),
            Added(1, message.Replace("[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"Checking.\"}]", "[]", StringComparison.Ordinal)),
            TextDelta(1, "msg_1", "Checking."),
            Done(1, message),
            Added(2, call.Replace("{\\\"city\\\":\\\"Paris\\\"}", string.Empty, StringComparison.Ordinal)),
            ArgumentsDelta(2, "fc_1", """{\"city\":\"Paris\"}"""),
            Done(2, call),
            Completed("[" + reasoning + "," + message + "," + call + "]")).ToChatResponse();
        var complete = Read(ResponseObject(status: "completed", output: "[" + reasoning + "," + message + "," + call + "]", usage: Usage), NewMapper(stored: false)).ToChatResponse();

        JsonAssert.Equal(expected, NextInput(streamed.Messages));
        JsonAssert.Equal(expected, NextInput(NextTurn.RoundTrip(streamed.Messages)));
        JsonAssert.Equal(expected, NextInput(complete.Messages));
        JsonAssert.Equal(expected, NextInput(NextTurn.RoundTrip(complete.Messages)));
    }

    /// <summary>
    /// A reasoning item at 0, items 1 to 5 added in order and done in the order 4, 5, 2, 3, 1 (as xAI's search tools
    /// do), then a message at 6: the streamed reply and the complete response listing the same items by output index.
    /// </summary>
    private static (ChatResponse Streamed, ChatResponse Complete) OutOfOrder(Func<int, string, string> item)
    {
        var message = MessageItem("msg_6", "completed", $"[{OutputText(Answer)}]");
        var reasoning = ReasoningItem("rs_0", $"[{SummaryText("Plan.")}]", encrypted: "ZW5j");
        var events = new List<string> { Created(), Added(0, ReasoningItem("rs_0")), SummaryDelta(0, "rs_0", "Plan."), Done(0, reasoning) };
        for (var n = 1; n <= 5; n++)
        {
            events.Add(Added(n, item(n, "in_progress")));
        }

        foreach (var n in new[] { 4, 5, 2, 3, 1 })
        {
            events.Add(Done(n, item(n, "completed")));
        }

        events.Add(Added(6, MessageItem("msg_6")));
        events.Add(TextDelta(6, "msg_6", Answer));
        events.Add(Done(6, message));
        var output = "[" + reasoning + "," + string.Join(",", Enumerable.Range(1, 5).Select(n => item(n, "completed"))) + "," + message + "]";
        events.Add(Completed(output));

        var streamed = Feed(NewMapper(stored: false), [.. events]).ToChatResponse();
        var complete = Read(ResponseObject(status: "completed", output: output, usage: Usage), NewMapper(stored: false)).ToChatResponse();
        return (streamed, complete);
    }

    /// <summary>The <c>input</c> of the next stateless request after <paramref name="reply"/>, without the user turns around it.</summary>
    private static JsonElement NextInput(IList<ChatMessage> reply)
    {
        var body = ResponsesRequestWriter.Write(new ChatRequest
        {
            Messages = [.. reply],
            Options = new ChatOptions { AdditionalProperties = new() { ["store"] = false } },
            Model = "gpt-test",
            Logger = NullLogger.Instance,
        });
        return JsonElement.Parse(body.Span).GetProperty("input");
    }
}
