using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

#pragma warning disable MEAI001 // ContinuationToken is experimental.

namespace YuHuan.Connector.Tests.Responses;

/// <summary>Background responses: continuation tokens on the updates, sequence numbers, and a mapper resumed mid-stream.</summary>
public sealed class ResponsesStreamBackgroundTests
{
    [Fact]
    public void OnEvent_Background_EveryUpdateButTheTerminalOneCarriesTheLatestPosition()
    {
        var updates = Feed(
            NewMapper(background: true),
            Numbered(
                0,
                Created(),
                InProgress(),
                Added(0, MessageItem("msg_1")),
                """{"type":"response.content_part.added","item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"text":""}}""",
                TextDelta(0, "msg_1", "Hel"),
                TextDelta(0, "msg_1", "lo"),
                Completed()));

        Assert.Equal(4, updates.Count);
        var tokens = updates.SkipLast(1).Select(u => Assert.IsType<ResponsesContinuationToken>(u.ContinuationToken)).ToList();
        Assert.All(tokens, t => Assert.Equal(ResponseId, t.ResponseId));

        // The first update (response.created) gives the token at once; each delta's is its own sequence number.
        Assert.Equal([0L, 4L, 5L], tokens.Select(t => t.SequenceNumber!.Value));
        Assert.Null(updates[^1].ContinuationToken);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_Background_TheEarlyTokenOpensNoEmptyMessage()
    {
        var updates = Feed(NewMapper(background: true), Numbered(0, Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"), Completed()));

        Assert.Null(updates[0].MessageId);
        Assert.NotNull(updates[0].ContinuationToken);
        var message = Assert.Single(updates.ToChatResponse().Messages);
        Assert.Equal("msg_1", message.MessageId);
        Assert.Equal("Hi", message.Text);
    }

    [Fact]
    public void Continuation_CountsEventsThatGaveNoUpdate()
    {
        var mapper = NewMapper(background: true);
        Push(mapper, Numbered(0, Created(), Added(0, MessageItem("msg_1"))));
        Push(mapper, WithSequence("""{"type":"response.web_search_call.searching","output_index":1,"item_id":"ws_1"}""", 7));

        var token = Assert.IsType<ResponsesContinuationToken>(mapper.Continuation);
        Assert.Equal(ResponseId, token.ResponseId);
        Assert.Equal(7, token.SequenceNumber);
    }

    [Fact]
    public void Continuation_EventWithoutSequenceNumber_KeepsTheLastKnown()
    {
        var mapper = NewMapper(background: true);
        Push(mapper, WithSequence(Created(), 3));
        var update = Assert.Single(Push(mapper, TextDelta(0, "msg_1", "Hi")));

        Assert.Equal(3, Assert.IsType<ResponsesContinuationToken>(update.ContinuationToken).SequenceNumber);
        Assert.Equal(3, Assert.IsType<ResponsesContinuationToken>(mapper.Continuation).SequenceNumber);
    }

    [Fact]
    public void Continuation_NotBackground_None()
    {
        var mapper = NewMapper(background: false);
        var updates = Feed(mapper, eventLines: true, Numbered(0, Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi")).Append(Completed()).ToArray());

        Assert.All(updates, u => Assert.Null(u.ContinuationToken));
        Assert.Null(mapper.Continuation);
    }

    [Fact]
    public void Continuation_AfterTheTerminalEvent_None()
    {
        var mapper = NewMapper(background: true);
        Feed(mapper, Numbered(0, Created(), Completed()));

        Assert.Null(mapper.Continuation);
    }

    [Fact]
    public void Continuation_BeforeTheResponseIdIsKnown_None()
    {
        var mapper = NewMapper(background: true);
        var update = Assert.Single(Push(mapper, WithSequence(TextDelta(0, "msg_1", "Hi"), 1)));

        Assert.Null(mapper.Continuation);
        Assert.Null(update.ContinuationToken);
    }

    [Fact]
    public void Continuation_ResponseIdChangedAfterCreated_NamesTheLatest()
    {
        var mapper = NewMapper(background: true);
        var updates = Push(mapper, Numbered(0, Created("resp_a"), InProgress("resp_b"), TextDelta(0, "msg_1", "Hi")));

        Assert.All(updates, u => Assert.Equal("resp_a", u.ResponseId));
        Assert.Equal("resp_b", Assert.IsType<ResponsesContinuationToken>(updates[^1].ContinuationToken).ResponseId);
    }

    [Fact]
    public void OnEvent_ResumedMidStream_IdsFromTheTokenAndNothingRepeated()
    {
        var mapper = NewMapper(background: true, resumed: new ResponsesContinuationToken(ResponseId, 11));

        // Resumed in the middle of item 1 (a message) after item 0 (reasoning) got its summary deltas and item 2's call began.
        var updates = Feed(
            mapper,
            Numbered(
                12,
                SummaryDelta(0, "rs_1", " tail"),
                Done(0, ReasoningItem("rs_1", $"[{SummaryText("Whole summary tail")}]", "ZW5jcnlwdGVk")),
                TextDelta(1, "msg_1", "rest"),
                Done(1, MessageItem("msg_1", "completed", $"[{OutputText("Beginning and rest")}]")),
                ArgumentsDelta(2, "fc_1", "\\\"Oslo\\\"}"),
                Done(2, FunctionCallItem("fc_1", "call_A", "get_weather", "{\\\"city\\\":\\\"Oslo\\\"}", "completed")),
                Completed(
                    $"[{ReasoningItem("rs_1", $"[{SummaryText("Whole summary tail")}]", "ZW5jcnlwdGVk")},{MessageItem("msg_1", "completed", $"[{OutputText("Beginning and rest")}]")},"
                    + $"{FunctionCallItem("fc_1", "call_A", "get_weather", "{\\\"city\\\":\\\"Oslo\\\"}", "completed")}]")));

        Assert.All(updates, u => Assert.Equal(ResponseId, u.ResponseId));
        Assert.Equal(["rest"], All<TextContent>(updates).Select(t => t.Text));
        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal(" tail", reasoning[0].Text);
        Assert.Equal("ZW5jcnlwdGVk", reasoning[^1].ProtectedData);
        Assert.Equal("rs_1", ItemIdOf(reasoning[^1]));
        Assert.Equal(2, reasoning.Count);

        // The done item's arguments win over the tail of the pieces this mapper saw.
        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("call_A", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Oslo", Argument(call, "city").GetString());

        var tokens = updates.SkipLast(1).Select(u => Assert.IsType<ResponsesContinuationToken>(u.ContinuationToken)).ToList();
        Assert.Equal(12, tokens[0].SequenceNumber);
        Assert.Null(updates[^1].ContinuationToken);
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public void Continuation_ResumedBeforeAnyEvent_TheTokensPosition()
    {
        var mapper = NewMapper(background: true, resumed: new ResponsesContinuationToken(ResponseId, 41));

        var token = Assert.IsType<ResponsesContinuationToken>(mapper.Continuation);
        Assert.Equal(ResponseId, token.ResponseId);
        Assert.Equal(41, token.SequenceNumber);
    }

    [Fact]
    public void OnEvent_ResumedWithOnlyTheTerminalEvent_OutputNotRepeated()
    {
        var output = $"[{MessageItem("msg_1", "completed", $"[{OutputText("Said before")}]")},{FunctionCallItem("fc_1", "call_A", "f", "{}", "completed")}]";

        var updates = Feed(NewMapper(background: true, resumed: new ResponsesContinuationToken(ResponseId, 30)), WithSequence(Completed(output), 31));

        var last = Assert.Single(updates);
        Assert.IsType<UsageContent>(Assert.Single(last.Contents));

        // The call went out before the resumption, yet the response still ended in a call.
        Assert.Equal(ChatFinishReason.ToolCalls, last.FinishReason);
    }

    [Fact]
    public void OnEvent_ResumedItemAddedThenOnlyDone_TextFromTheDoneItem()
    {
        var updates = Feed(
            NewMapper(background: true, resumed: new ResponsesContinuationToken(ResponseId, 5)),
            Numbered(
                6,
                Added(0, MessageItem("msg_1")),
                Done(0, MessageItem("msg_1", "completed", $"[{OutputText("Whole")}]")),
                Completed()));

        Assert.Equal("Whole", updates.ToChatResponse().Text);
    }

    [Fact]
    public void OnEvent_SameMapperResumedAfterACut_ContinuesItsState()
    {
        var mapper = NewMapper(background: true);
        var first = Push(mapper, Numbered(0, Created(), Added(0, FunctionCallItem("fc_1", "call_A", "f")), ArgumentsDelta(0, "fc_1", "{\\\"a\\\":")));

        var token = Assert.IsType<ResponsesContinuationToken>(mapper.Continuation);
        Assert.Equal(2, token.SequenceNumber);

        // The client feeds the same mapper the events after that sequence number.
        var second = Feed(mapper, Numbered(3, ArgumentsDelta(0, "fc_1", "1}"), Done(0, FunctionCallItem("fc_1", "call_A", "f", status: "completed")), Completed()));

        var call = Assert.Single(All<FunctionCallContent>(second));
        Assert.Equal(1, Argument(call, "a").GetInt32());
        Assert.Empty(All<FunctionCallContent>(first));
    }
}
