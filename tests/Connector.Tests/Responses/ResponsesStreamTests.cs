using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>The OpenAI Responses stream, fed event by event into <see cref="ResponsesStreamMapper"/>.</summary>
public sealed class ResponsesStreamTests
{
    private const string Encrypted = "gAAAAABor0Y6encrypted-reasoning==";

    /// <summary>Reasoning summary with encrypted content, text, two function calls in fragments, usage with cached and reasoning tokens.</summary>
    public static string[] FullStream =>
        Numbered(
            0,
            Created(),
            InProgress(),
            Added(0, ReasoningItem("rs_1")),
            """{"type":"response.reasoning_summary_part.added","item_id":"rs_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}""",
            SummaryDelta(0, "rs_1", "**Checking"),
            SummaryDelta(0, "rs_1", " the weather**"),
            """{"type":"response.reasoning_summary_text.done","item_id":"rs_1","output_index":0,"summary_index":0,"text":"**Checking the weather**"}""",
            """{"type":"response.reasoning_summary_part.done","item_id":"rs_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":"**Checking the weather**"}}""",
            Done(0, ReasoningItem("rs_1", $"[{SummaryText("**Checking the weather**")}]", Encrypted)),
            Added(1, MessageItem("msg_1")),
            """{"type":"response.content_part.added","item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}""",
            TextDelta(1, "msg_1", "Checking Caf\\u00e9 "),
            TextDelta(1, "msg_1", "and Oslo 😀."),
            """{"type":"response.output_text.done","item_id":"msg_1","output_index":1,"content_index":0,"text":"Checking Café and Oslo 😀.","logprobs":[]}""",
            """{"type":"response.content_part.done","item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Checking Café and Oslo 😀."}}""",
            Done(1, MessageItem("msg_1", "completed", $"[{OutputText("Checking Café and Oslo 😀.")}]")),
            Added(2, FunctionCallItem("fc_1", "call_A", "get_weather")),
            ArgumentsDelta(2, "fc_1", "{\\\"ci"),
            ArgumentsDelta(2, "fc_1", "ty\\\":\\\"Caf\\\\u00"),
            ArgumentsDelta(2, "fc_1", "e9\\\"}"),
            ArgumentsDone(2, "fc_1", "{\\\"city\\\":\\\"Caf\\\\u00e9\\\"}"),
            Done(2, FunctionCallItem("fc_1", "call_A", "get_weather", "{\\\"city\\\":\\\"Caf\\\\u00e9\\\"}", "completed")),
            Added(3, FunctionCallItem("fc_2", "call_B", "get_weather")),
            ArgumentsDelta(3, "fc_2", "{\\\"city\\\":"),
            ArgumentsDelta(3, "fc_2", "\\\"Oslo\\\",\\\"days\\\":3}"),
            ArgumentsDone(3, "fc_2", "{\\\"city\\\":\\\"Oslo\\\",\\\"days\\\":3}"),
            Done(3, FunctionCallItem("fc_2", "call_B", "get_weather", "{\\\"city\\\":\\\"Oslo\\\",\\\"days\\\":3}", "completed")),
            Completed(
                $"[{ReasoningItem("rs_1", $"[{SummaryText("**Checking the weather**")}]", Encrypted)},{MessageItem("msg_1", "completed", $"[{OutputText("Checking Café and Oslo 😀.")}]")},"
                + $"{FunctionCallItem("fc_1", "call_A", "get_weather", "{\\\"city\\\":\\\"Caf\\\\u00e9\\\"}", "completed")},{FunctionCallItem("fc_2", "call_B", "get_weather", "{\\\"city\\\":\\\"Oslo\\\",\\\"days\\\":3}", "completed")}]"));

    [Fact]
    public void OnEvent_FullStream_MapsReasoningTextCallsAndUsage()
    {
        var updates = Feed(NewMapper(), FullStream);

        AssertIdentity(updates);
        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal(3, reasoning.Count);
        Assert.Equal("**Checking", reasoning[0].Text);
        Assert.Equal("rs_1", ItemIdOf(reasoning[0]));
        Assert.Equal(" the weather**", reasoning[1].Text);
        Assert.Null(ItemIdOf(reasoning[1]));
        Assert.Equal(string.Empty, reasoning[2].Text);
        Assert.Equal(Encrypted, reasoning[2].ProtectedData);
        Assert.Equal("rs_1", ItemIdOf(reasoning[2]));
        Assert.All(reasoning.Take(2), r => Assert.Null(r.ProtectedData));

        Assert.Equal(["Checking Café ", "and Oslo 😀."], All<TextContent>(updates).Select(t => t.Text));

        var calls = All<FunctionCallContent>(updates);
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_A", calls[0].CallId);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.Null(calls[0].Exception);
        Assert.Equal("Café", Argument(calls[0], "city").GetString());
        Assert.Equal("call_B", calls[1].CallId);
        Assert.Equal("Oslo", Argument(calls[1], "city").GetString());
        Assert.Equal(3, Argument(calls[1], "days").GetInt32());

        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(120, usage.InputTokenCount);
        Assert.Equal(80, usage.OutputTokenCount);
        Assert.Equal(200, usage.TotalTokenCount);
        Assert.Equal(64, usage.CachedInputTokenCount);
        Assert.Equal(32, usage.ReasoningTokenCount);

        Assert.Equal(ChatFinishReason.ToolCalls, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        Assert.NotNull(updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_FullStream_OneMessageUnderTheResponseId()
    {
        var updates = Feed(NewMapper(), FullStream);

        // Reasoning, the one message item and the calls after it are one assistant message, as on the other protocols.
        Assert.All(updates, u => Assert.Equal(ResponseId, u.MessageId));
        var message = Assert.Single(updates.ToChatResponse().Messages);
        Assert.Equal(2, message.Contents.OfType<FunctionCallContent>().Count());
    }

    [Fact]
    public void OnEvent_FullStream_MergesIntoOneReasoningPieceWithItsIdAndEncryptedContent()
    {
        var response = Feed(NewMapper(), FullStream).ToChatResponse();

        var reasoning = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.Equal("**Checking the weather**", reasoning.Text);
        Assert.Equal(Encrypted, reasoning.ProtectedData);
        Assert.Equal("rs_1", ItemIdOf(reasoning));
        Assert.Equal("Checking Café and Oslo 😀.", response.Text);
        Assert.Equal(2, response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count());
        Assert.Equal(ResponseId, response.ResponseId);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public void OnEvent_FullStream_ConversationIdOnTheTerminalUpdateOnly()
    {
        var updates = Feed(NewMapper(stored: true), FullStream);

        Assert.Equal(ResponseId, updates[^1].ConversationId);
        Assert.All(updates.SkipLast(1), u => Assert.Null(u.ConversationId));
    }

    [Fact]
    public void OnEvent_NotStored_NoConversationId()
    {
        var updates = Feed(NewMapper(stored: false), FullStream);

        Assert.All(updates, u => Assert.Null(u.ConversationId));
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_ResponseSaysStoreFalse_NoConversationId()
    {
        var completed = Completed().Replace("\"store\":true", "\"store\":false", StringComparison.Ordinal);
        var updates = Feed(NewMapper(stored: true), Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"), completed);

        Assert.All(updates, u => Assert.Null(u.ConversationId));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_TerminalIdDiffersFromFirst_ConversationIdIsTheTerminalOne()
    {
        var updates = Feed(
            NewMapper(),
            Created("resp_first"),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Hi"),
            Completed(id: "resp_final"));

        Assert.All(updates, u => Assert.Equal("resp_first", u.ResponseId));
        Assert.Equal("resp_final", updates[^1].ConversationId);
    }

    [Fact]
    public void OnEvent_TextOnly_FinishReasonStopAndUsage()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Hello"),
            TextDelta(0, "msg_1", ", world"),
            Done(0, MessageItem("msg_1", "completed", $"[{OutputText("Hello, world")}]")),
            Completed());

        Assert.Equal("Hello, world", updates.ToChatResponse().Text);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Equal(ResponseId, updates[^1].MessageId);
        Assert.Single(All<UsageContent>(updates));
        Assert.Equal(3, updates.Count);
    }

    [Fact]
    public void OnEvent_WithoutEventLines_TypeFromThePayload()
    {
        var updates = Feed(NewMapper(), eventLines: false, FullStream);

        Assert.Equal("Checking Café and Oslo 😀.", updates.ToChatResponse().Text);
        Assert.Equal(2, All<FunctionCallContent>(updates).Count);
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_SurrogatePairSplitAcrossDeltas_JoinedIntoValidText()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "A\\ud83d"),
            TextDelta(0, "msg_1", "\\ude00B"),
            Completed());

        Assert.Equal(["A", "😀B"], All<TextContent>(updates).Select(t => t.Text));
    }

    [Fact]
    public void OnEvent_DeltaOfTheWrongType_InvalidResponse()
    {
        var (_, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":42}""");

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
    }

    [Fact]
    public void OnEvent_NotJson_InvalidResponse()
    {
        var mapper = NewMapper();
        var failure = Assert.Throws<YuHuanApiException>(() => mapper.OnEvent("response.output_text.delta"u8, """{"type":"response.output_text.delta","output_index":0,"delta":"x",}"""u8));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
    }

    [Fact]
    public void OnEvent_AfterTheTerminalEvent_NothingIsMapped()
    {
        var mapper = NewMapper();
        Feed(mapper, Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"), Completed());

        Assert.True(mapper.IsCompleted);
        Assert.Null(mapper.OnEvent("response.output_text.delta"u8, System.Text.Encoding.UTF8.GetBytes(TextDelta(0, "msg_1", "late"))));
    }
}
