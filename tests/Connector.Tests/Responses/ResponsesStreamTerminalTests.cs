using Microsoft.Extensions.AI;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>How a Responses stream ends: completed, incomplete, failed, an error event, cancelled, cut off; and refusals.</summary>
public sealed class ResponsesStreamTerminalTests
{
    [Theory]
    [InlineData("max_output_tokens", "length")]
    [InlineData("content_filter", "content_filter")]
    public void OnEvent_Incomplete_FinishReasonFromTheReasonAndUsage(string reason, string expected)
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Once upon"),
            Incomplete(reason));

        Assert.Equal(new ChatFinishReason(expected), updates[^1].FinishReason);
        Assert.Equal(120, Assert.Single(All<UsageContent>(updates)).Details.InputTokenCount);
        Assert.Equal("Once upon", updates.ToChatResponse().Text);
    }

    [Fact]
    public void OnEvent_Failed_ErrorAfterWhatCameBefore()
    {
        var (received, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Partial"),
            Failed("server_error", "The model crashed."));

        Assert.Equal("Partial", received.ToChatResponse().Text);
        Assert.Contains("The model crashed.", failure.Message, StringComparison.Ordinal);
        Assert.Equal("server_error", failure.ErrorCode);
        Assert.Equal("server_error", failure.ErrorType);
        Assert.Null(failure.StatusCode);
    }

    [Fact]
    public void OnEvent_FlatErrorEvent_ErrorWithCodeAndMessage()
    {
        var (received, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Hi"),
            """{"type":"error","code":"rate_limit_exceeded","message":"Slow down.","param":null,"sequence_number":4}""");

        Assert.Single(received);
        Assert.Contains("Slow down.", failure.Message, StringComparison.Ordinal);
        Assert.Equal("rate_limit_exceeded", failure.ErrorCode);
        Assert.Equal("rate_limit_exceeded", failure.ErrorType);
    }

    [Fact]
    public void OnEvent_NestedErrorEvent_InnerTypeCodeAndMessage()
    {
        var (_, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            """{"sequence_number":2,"error":{"type":"invalid_request_error","code":"context_length_exceeded","message":"Too long."},"type":"error"}""");

        Assert.Contains("Too long.", failure.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", failure.ErrorType);
        Assert.Equal("context_length_exceeded", failure.ErrorCode);
    }

    [Fact]
    public void OnEvent_ErrorThenFailed_ReportedOnce()
    {
        var mapper = NewMapper();
        var (_, failure) = FeedUntilFailure(mapper, Created(), """{"type":"error","code":"server_error","message":"First.","param":null}""");

        // The response.failed that follows is the same failure: the mapper is done, nothing more is reported.
        Assert.Contains("First.", failure.Message, StringComparison.Ordinal);
        Assert.True(mapper.IsCompleted);
        Assert.Null(mapper.OnEvent("response.failed"u8, System.Text.Encoding.UTF8.GetBytes(Failed("server_error", "Second."))));
        Assert.Null(mapper.OnEndOfStream());
    }

    [Fact]
    public void OnEvent_Cancelled_Error()
    {
        var cancelled = Completed().Replace("\"type\":\"response.completed\"", "\"type\":\"response.cancelled\"", StringComparison.Ordinal)
            .Replace("\"status\":\"completed\"", "\"status\":\"cancelled\"", StringComparison.Ordinal);

        var (received, failure) = FeedUntilFailure(NewMapper(), Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"), cancelled);

        Assert.Single(received);
        Assert.Contains("cancelled", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEvent_CompletedEventWhoseStatusSaysCancelled_Error()
    {
        var completed = Completed().Replace("\"status\":\"completed\"", "\"status\":\"cancelled\"", StringComparison.Ordinal);

        var (_, failure) = FeedUntilFailure(NewMapper(), Created(), completed);

        Assert.Contains("cancelled", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnEndOfStream_BeforeTheTerminalEvent_IncompleteStream()
    {
        var (received, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Cut"));

        Assert.Equal("Cut", received.ToChatResponse().Text);
        Assert.Equal(YuHuanErrorTypes.IncompleteStream, failure.ErrorType);
    }

    [Fact]
    public void OnEvent_CallOpenAtTheTerminalEvent_CompletedThereFromWhatIsKnown()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "get_weather")),
            ArgumentsDelta(0, "fc_1", "{\\\"city\\\":"),
            ArgumentsDelta(0, "fc_1", "\\\"Oslo\\\"}"),
            Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("call_A", call.CallId);
        Assert.Equal("Oslo", Argument(call, "city").GetString());
        Assert.Same(updates[^1], Assert.Single(updates, u => u.Contents.Any(c => c is FunctionCallContent)));
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_CallOpenButInTheTerminalOutput_CompletedWithTheOutputsArguments()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "get_weather")),
            ArgumentsDelta(0, "fc_1", "{\\\"ci"),
            Completed($"[{FunctionCallItem("fc_1", "call_A", "get_weather", "{\\\"city\\\":\\\"Oslo\\\"}", "completed")}]"));

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Null(call.Exception);
        Assert.Equal("Oslo", Argument(call, "city").GetString());
    }

    [Fact]
    public void OnEvent_ItemsDoneInTheStream_NotRepeatedFromTheTerminalOutput()
    {
        var output = $"[{MessageItem("msg_1", "completed", $"[{OutputText("Hi")}]")},{FunctionCallItem("fc_1", "call_A", "f", "{}", "completed")}]";
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Hi"),
            Done(0, MessageItem("msg_1", "completed", $"[{OutputText("Hi")}]")),
            Added(1, FunctionCallItem("fc_1", "call_A", "f")),
            Done(1, FunctionCallItem("fc_1", "call_A", "f", "{}", "completed")),
            Completed(output));

        Assert.Equal("Hi", updates.ToChatResponse().Text);
        Assert.Single(All<FunctionCallContent>(updates));
    }

    [Fact]
    public void OnEvent_Refusal_OneErrorContentWhenDoneAndContentFilter()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            RefusalDelta(0, "msg_1", "I can't"),
            RefusalDelta(0, "msg_1", " help with that."),
            RefusalDone(0, "msg_1", "I can't help with that."),
            """{"type":"response.content_part.done","item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"refusal","refusal":"I can't help with that."}}""",
            Done(0, MessageItem("msg_1", "completed", """[{"type":"refusal","refusal":"I can't help with that."}]""")),
            Completed());

        var refusal = Assert.Single(All<ErrorContent>(updates));
        Assert.Equal("I can't help with that.", refusal.Message);
        Assert.Equal("Refusal", refusal.ErrorCode);
        Assert.Equal(ResponseId, Assert.Single(updates, u => u.Contents.Any(c => c is ErrorContent)).MessageId);
        Assert.Equal(ChatFinishReason.ContentFilter, updates[^1].FinishReason);
        Assert.Empty(All<TextContent>(updates));
    }

    [Fact]
    public void OnEvent_RefusalNeverSaidDone_ReportedAtTheTerminalEvent()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            RefusalDelta(0, "msg_1", "No"),
            RefusalDelta(0, "msg_1", "pe."),
            Completed());

        var refusal = Assert.Single(All<ErrorContent>(updates));
        Assert.Equal("Nope.", refusal.Message);
        Assert.Contains(refusal, updates[^1].Contents);
        Assert.Equal(ChatFinishReason.ContentFilter, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_RefusalOnlyInTheDoneItem_Reported()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            Done(0, MessageItem("msg_1", "completed", """[{"refusal":"Not this.","type":"refusal"}]""")),
            Completed());

        Assert.Equal("Not this.", Assert.Single(All<ErrorContent>(updates)).Message);
        Assert.Equal(ChatFinishReason.ContentFilter, updates[^1].FinishReason);
    }
}
