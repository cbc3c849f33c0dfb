using System.Net;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>Non-streamed Messages answers: one <c>message</c> object read through <see cref="IChatClient.GetResponseAsync"/>.</summary>
public sealed class MessagesResponseTests
{
    [Fact]
    public async Task GetResponseAsync_MessageWithEveryBlockKind_MapsContentsInOrder()
    {
        var json = """
            {
              "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
              "type": "message",
              "role": "assistant",
              "model": "claude-test-1",
              "content": [
                {"type": "thinking", "thinking": "The user wants the weather.\nCall the tool.", "signature": "EqQBCgIYAhIM1gbcDa9G"},
                {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
                {"type": "text", "text": "Checking Caf\u00e9 weather 😀.", "citations": null},
                {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA", "days": 3}}
              ],
              "stop_reason": "tool_use",
              "stop_sequence": null,
              "usage": {"input_tokens": 100, "cache_creation_input_tokens": 20, "cache_read_input_tokens": 30, "output_tokens": 42}
            }
            """;

        var response = await GetResponseAsync(json);

        Assert.Equal(MessageId, response.ResponseId);
        Assert.Equal(Model, response.ModelId);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal(MessageId, message.MessageId);
        var contents = message.Contents.Where(c => c is not UsageContent).ToList();
        Assert.Equal(4, contents.Count);

        var thinking = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal("The user wants the weather.\nCall the tool.", thinking.Text);
        Assert.Equal("EqQBCgIYAhIM1gbcDa9G", thinking.ProtectedData);

        var redacted = Assert.IsType<TextReasoningContent>(contents[1]);
        Assert.Equal(string.Empty, redacted.Text);
        Assert.Equal("EmwKAhgBEgy3va3pzix", redacted.ProtectedData);
        Assert.Equal(true, redacted.AdditionalProperties?["redacted"]);

        Assert.Equal("Checking Café weather 😀.", Assert.IsType<TextContent>(contents[2]).Text);

        var call = Assert.IsType<FunctionCallContent>(contents[3]);
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Null(call.Exception);
        Assert.Equal("San Francisco, CA", Argument(call, "location").GetString());
        Assert.Equal(3, Argument(call, "days").GetInt32());

        var usage = response.Usage!;
        Assert.Equal(150, usage.InputTokenCount);
        Assert.Equal(30, usage.CachedInputTokenCount);
        Assert.Equal(42, usage.OutputTokenCount);
        Assert.Equal(192, usage.TotalTokenCount);
        Assert.Equal(20, usage.AdditionalCounts!["cache_creation_input_tokens"]);
    }

    [Fact]
    public async Task GetResponseAsync_SeveralTextBlocks_TextConcatenatesExactly()
    {
        var json = """{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-test-1","content":[{"type":"text","text":"Hello, "},{"type":"text","text":"世界 \ud83e\udd14 \"q\"\\n"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":4}}""";

        var response = await GetResponseAsync(json);

        Assert.Equal("Hello, 世界 🤔 \"q\"\\n", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(7, response.Usage!.TotalTokenCount);
        Assert.Equal(3, response.Usage.InputTokenCount);
        Assert.Empty(response.Messages[0].Contents.OfType<FunctionCallContent>());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "pause_turn")]
    public async Task GetResponseAsync_StopReason_MapsToFinishReason(string stopReason, string finishReason)
    {
        var json = $$$"""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"x"}],"stop_reason":"{{{stopReason}}}","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}""";

        var response = await GetResponseAsync(json);

        Assert.Equal(new ChatFinishReason(finishReason), response.FinishReason);
        Assert.Equal("x", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_ThinkingWithOnlySignature_ReasoningWithProtectedData()
    {
        var json = """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"","signature":"c2ln"},{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""";

        var response = await GetResponseAsync(json);

        var reasoning = Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal(string.Empty, reasoning.Text);
        Assert.Equal("c2ln", reasoning.ProtectedData);
        Assert.Equal("ok", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_ToolUseWithEmptyInputAndSeveralCalls_OneCallEachInOrder()
    {
        var json = """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"tool_use","id":"toolu_a","name":"get_time","input":{}},{"type":"tool_use","id":"toolu_b","name":"get_weather","input":{"city":"Oslo"},"caller":{"type":"direct"}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}""";

        var response = await GetResponseAsync(json);

        var calls = response.Messages[0].Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["toolu_a", "toolu_b"], calls.Select(c => c.CallId));
        Assert.NotNull(calls[0].Arguments);
        Assert.Empty(calls[0].Arguments!);
        Assert.Equal("Oslo", Argument(calls[1], "city").GetString());
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_ServerSideAndUnknownBlocks_SkippedTextKept()
    {
        var json = """
            {"type":"message","content":[
              {"type":"text","text":"Searching. "},
              {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"paris"}},
              {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[{"type":"web_search_result","url":"https://example.com","title":"t","encrypted_content":"x"}]},
              {"type":"mcp_tool_use","id":"mcptoolu_1","name":"echo","server_name":"s","input":{"a":1}},
              {"type":"mcp_tool_result","tool_use_id":"mcptoolu_1","is_error":false,"content":[{"type":"text","text":"not mine"}]},
              {"type":"code_execution_tool_result","tool_use_id":"srvtoolu_2","content":{"type":"code_execution_result","stdout":"","stderr":"","return_code":0,"content":[]}},
              {"type":"container_upload","file_id":"file_1"},
              {"type":"compaction","content":null},
              {"type":"fallback","reason":"x"},
              {"type":"text","text":"Sunny.","citations":[{"type":"web_search_result_location","cited_text":"s","url":"https://example.com","title":"t","encrypted_index":"e"}]}
            ],"model":"claude-test-1","container":{"id":"container_1","expires_at":"2025-06-25T10:30:00Z"},"x_unknown":{"deep":[1]},"role":"assistant","stop_reason":"end_turn","usage":{"input_tokens":2,"output_tokens":3,"server_tool_use":{"web_search_requests":1}},"id":"msg_01XFDUDYJgAACzvnptvVoYEL"}
            """;

        var response = await GetResponseAsync(json);

        Assert.Equal("Searching. Sunny.", response.Text);
        Assert.Empty(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(MessageId, response.ResponseId);
        Assert.Equal(Model, response.ModelId);
        Assert.Equal(5, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_RefusalWithNoContent_SucceedsWithContentFilter()
    {
        var json = """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":0}}""";

        var response = await GetResponseAsync(json);

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal(string.Empty, response.Text);
        Assert.Equal("msg_1", response.ResponseId);
        Assert.Equal(9, response.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_BodyNotJson_ThrowsInvalidResponse()
    {
        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => GetResponseAsync("""{"id":"msg_1","type":"message","content":[{"type":"text","text":"x"""));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task GetResponseAsync_OverloadedStatusWithErrorBody_ThrowsWithStatusAndType()
    {
        var handler = new ReplayHandler(
            """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""",
            "application/json",
            (HttpStatusCode)529);
        using var client = handler.CreateClient(UseMessages);

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(529, ex.StatusCode);
        Assert.Equal("overloaded_error", ex.ErrorType);
        Assert.Contains("Overloaded", ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_MessagesProtocol_PostsToMessagesPathWithoutStream()
    {
        var handler = new ReplayHandler("""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"x"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""", "application/json");
        using var client = handler.CreateClient(UseMessages);

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("x", response.Text);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:1/v1/messages"), request.RequestUri);
        Assert.DoesNotContain("\"stream\":true", handler.RequestBodies[0].Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
