using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

#pragma warning disable MEAI001 // ContinuationToken is experimental.

namespace YuHuan.Connector.Tests.Responses;

/// <summary>One complete <c>response</c> object (a non-streamed answer, or a background response being polled) read by <see cref="ResponsesStreamMapper.ReadResponse"/>.</summary>
public sealed class ResponsesResponseTests
{
    private static readonly string CompleteOutput =
        $"[{ReasoningItem("rs_1", $"[{SummaryText("Plan the call.")}]", "ZW5jcnlwdGVk", """[{"type":"reasoning_text","text":"Raw thought."}]""")},"
        + $"{MessageItem("msg_1", "completed", $"[{OutputText("Checking Caf\\u00e9.")},{OutputText(" Twice.")}]", "commentary")},"
        + $"{FunctionCallItem("fc_1", "call_A", "get_weather", "{\\\"city\\\":\\\"Oslo\\\"}", "completed")},"
        + """{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"q"}}]""";

    [Fact]
    public void ReadResponse_Completed_EveryItemInOrderWithItsId()
    {
        var updates = Read(ResponseObject(status: "completed", output: CompleteOutput, usage: Usage));

        AssertIdentity(updates);
        Assert.Equal(["rs_1", "msg_1", "fc_1", "fc_1"], updates.Select(u => u.MessageId));

        var reasoning = updates[0].Contents.Cast<TextReasoningContent>().ToList();
        Assert.Equal(["Raw thought.", "Plan the call.", string.Empty], reasoning.Select(r => r.Text));
        Assert.Equal("rs_1", ItemIdOf(reasoning[0]));
        Assert.Null(ItemIdOf(reasoning[1]));
        Assert.Equal("ZW5jcnlwdGVk", reasoning[2].ProtectedData);
        Assert.Equal("rs_1", ItemIdOf(reasoning[2]));

        Assert.Equal(["Checking Café.", " Twice."], updates[1].Contents.Cast<TextContent>().Select(t => t.Text));

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(updates[2].Contents));
        Assert.Equal("call_A", call.CallId);
        Assert.Equal("Oslo", Argument(call, "city").GetString());

        var last = updates[^1];
        var usage = Assert.IsType<UsageContent>(Assert.Single(last.Contents)).Details;
        Assert.Equal(64, usage.CachedInputTokenCount);
        Assert.Equal(32, usage.ReasoningTokenCount);
        Assert.Equal(ChatFinishReason.ToolCalls, last.FinishReason);
        Assert.Equal(ResponseId, last.ConversationId);
        Assert.All(updates, u => Assert.Null(u.ContinuationToken));
    }

    [Fact]
    public void ReadResponse_SameFinishReasonAsTheStreamOfTheSameResponse()
    {
        var output = $"[{MessageItem("msg_1", "completed", $"[{OutputText("Hi")}]")}]";
        var read = Read(ResponseObject(status: "completed", output: output, usage: Usage));
        var streamed = Feed(NewMapper(), Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"), Completed(output));

        Assert.Equal(ChatFinishReason.Stop, read[^1].FinishReason);
        Assert.Equal(streamed[^1].FinishReason, read[^1].FinishReason);
        Assert.Equal(streamed.ToChatResponse().Text, read.ToChatResponse().Text);
    }

    [Fact]
    public void ReadResponse_Refusal_ErrorContentAndContentFilter()
    {
        var output = $"[{MessageItem("msg_1", "completed", """[{"type":"refusal","refusal":"I can't help with that."}]""")}]";

        var updates = Read(ResponseObject(status: "completed", output: output, usage: Usage));

        var refusal = Assert.Single(All<ErrorContent>(updates));
        Assert.Equal("I can't help with that.", refusal.Message);
        Assert.Equal("Refusal", refusal.ErrorCode);
        Assert.Equal(ChatFinishReason.ContentFilter, updates[^1].FinishReason);
    }

    [Theory]
    [InlineData("in_progress")]
    [InlineData("queued")]
    public void ReadResponse_StillRunning_OneUpdateWithATokenToPollAgain(string status)
    {
        var output = $"[{MessageItem("msg_1", "in_progress", $"[{OutputText("So far")}]")},{FunctionCallItem("fc_1", "call_A", "f", "{\\\"a\\\":", "in_progress")}]";

        var updates = Read(ResponseObject(status: status, output: output), NewMapper(background: true, resumed: new ResponsesContinuationToken(ResponseId, null)));

        var update = Assert.Single(updates);
        Assert.Equal("So far", update.Text);
        Assert.Null(update.FinishReason);
        Assert.Null(update.ConversationId);
        Assert.Empty(update.Contents.OfType<FunctionCallContent>());
        var token = Assert.IsType<ResponsesContinuationToken>(update.ContinuationToken);
        Assert.Equal(ResponseId, token.ResponseId);
        Assert.Null(token.SequenceNumber);
        Assert.Equal(ResponseId, update.ResponseId);
    }

    [Fact]
    public void ReadResponse_Failed_Error()
    {
        var json = ResponseObject(status: "failed").Replace("\"error\":null", "\"error\":{\"code\":\"server_error\",\"message\":\"It broke.\"}", StringComparison.Ordinal);

        var failure = Assert.Throws<YuHuanApiException>(() => Read(json));

        Assert.Contains("It broke.", failure.Message, StringComparison.Ordinal);
        Assert.Equal("server_error", failure.ErrorCode);
    }

    [Theory]
    [InlineData("max_output_tokens", "length")]
    [InlineData("content_filter", "content_filter")]
    public void ReadResponse_Incomplete_FinishReasonFromTheReason(string reason, string expected)
    {
        var json = ResponseObject(status: "incomplete", output: $"[{MessageItem("msg_1", "incomplete", $"[{OutputText("Cut")}]")}]", usage: Usage)
            .Replace("\"incomplete_details\":null", "\"incomplete_details\":{\"reason\":\"" + reason + "\"}", StringComparison.Ordinal);

        var updates = Read(json);

        Assert.Equal(new ChatFinishReason(expected), updates[^1].FinishReason);
        Assert.Equal("Cut", updates.ToChatResponse().Text);
    }

    [Fact]
    public void ReadResponse_ErrorObject_Error()
    {
        var failure = Assert.Throws<YuHuanApiException>(() => Read("""{"error":{"message":"No such response.","type":"invalid_request_error","param":null,"code":"not_found"}}"""));

        Assert.Contains("No such response.", failure.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", failure.ErrorType);
        Assert.Equal("not_found", failure.ErrorCode);
    }

    [Fact]
    public void ReadResponse_Cancelled_Error()
    {
        var failure = Assert.Throws<YuHuanApiException>(() => Read(ResponseObject(status: "cancelled")));

        Assert.Contains("cancelled", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "true")]
    [InlineData(true, "false")]
    public void ReadResponse_NotStored_NoConversationId(bool stored, string storeField)
    {
        var json = ResponseObject(status: "completed", output: $"[{MessageItem("msg_1", "completed", $"[{OutputText("Hi")}]")}]", usage: Usage)
            .Replace("\"store\":true", "\"store\":" + storeField, StringComparison.Ordinal);

        var updates = Read(json, NewMapper(stored: stored));

        Assert.All(updates, u => Assert.Null(u.ConversationId));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public void ReadResponse_IdsAfterTheOutput_StillOnEveryUpdate()
    {
        var json = $$"""{"output":[{{MessageItem("msg_1", "completed", $"[{OutputText("Hi")}]")}}],"status":"completed","model":"{{Model}}","created_at":{{CreatedAtSeconds}},"id":"{{ResponseId}}"}""";

        var updates = Read(json);

        AssertIdentity(updates);
        Assert.Equal("msg_1", updates[0].MessageId);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"object\":\"list\"}")]
    public void ReadResponse_NotAResponse_InvalidResponse(string json)
    {
        var failure = Assert.Throws<YuHuanApiException>(() => Read(json));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
    }

    [Fact]
    public void ReadResponse_NotJson_InvalidResponse()
    {
        var failure = Assert.Throws<YuHuanApiException>(() => Read("""{"id":"resp_1","output":[}"""));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
    }
}
