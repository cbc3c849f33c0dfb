using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>
/// A tool-call fragment's <c>index</c> says which call it continues, and a choice's <c>index</c> which choice it is: a
/// value that is not a non-negative 32-bit integer names neither, and taking it for none would fuse two calls or drop a
/// choice's text, so it is <c>invalid_response</c>, as on Messages and Responses. An index left out, or <c>null</c>,
/// keeps the lenient reading real servers need (calls told apart by id or name, a choice without index is choice 0).
/// </summary>
public sealed class ChatCompletionsIndexTests
{
    public static TheoryData<string> BadIndices => new() { "-1", "1.5", "2147483648", "\"0\"", "true", "{}" };

    [Theory]
    [MemberData(nameof(BadIndices))]
    public async Task GetStreamingResponseAsync_ToolCallFragmentAtABadIndex_ThrowsInvalidResponse(string index)
    {
        var sse = Sse.Stream(
            "\n",
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"c_a","function":{"name":"f","arguments":"{\"a\":1}"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":""" + index + ""","id":"c_b","function":{"name":"g","arguments":"{\"b\":2}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => ReplayHandler.CollectAsync(sse));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
        Assert.Contains("'index'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadIndices))]
    public async Task GetResponseAsync_ToolCallInAMessageAtABadIndex_ThrowsInvalidResponse(string index)
    {
        var body = """{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m-1","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"index":""" + index + ""","id":"c_a","type":"function","function":{"name":"f","arguments":"{}"}}]}}]}""";
        using var client = new ReplayHandler(body, "application/json").CreateClient();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
    }

    [Theory]
    [MemberData(nameof(BadIndices))]
    public async Task GetStreamingResponseAsync_ChoiceAtABadIndex_ThrowsInvalidResponseRatherThanDroppingItsText(string index)
    {
        var sse = Sse.Stream(
            "\n",
            ChatCompletionsSse.Chunk("""{"content":"kept "}"""),
            $$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m-1","choices":[{"index":{{index}},"delta":{"content":"not dropped"},"finish_reason":null}]}""",
            ChatCompletionsSse.Chunk("{}", "stop"),
            "[DONE]");

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => ReplayHandler.CollectAsync(sse));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
        Assert.Contains("'index'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"index\":null,")]
    [InlineData("")]
    public async Task GetStreamingResponseAsync_ToolCallFragmentsWithoutIndex_StillGiveTheirCalls(string index)
    {
        var sse = Sse.Stream(
            "\n",
            ChatCompletionsSse.Chunk("""{"tool_calls":[{""" + index + """ "id":"c_a","function":{"name":"f","arguments":"{\"a\":1}"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{""" + index + """ "id":"c_b","function":{"name":"g","arguments":"{\"b\":2}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var calls = (await ReplayHandler.CollectAsync(sse)).SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();

        Assert.Equal(["c_a", "c_b"], calls.Select(c => c.CallId));
        Assert.Equal(1, ((JsonElement)calls[0].Arguments!["a"]!).GetInt32());
        Assert.Equal(2, ((JsonElement)calls[1].Arguments!["b"]!).GetInt32());
    }

    [Theory]
    [InlineData("\"index\":null,")]
    [InlineData("")]
    [InlineData("\"index\":0,")]
    public async Task GetStreamingResponseAsync_ChoiceWithoutIndexOrZero_IsChoiceZero(string index)
    {
        var sse = Sse.Stream(
            "\n",
            $$"""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m-1","choices":[{{{index}}"delta":{"content":"hello"},"finish_reason":"stop"}]}""",
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse);

        Assert.Equal("hello", string.Concat(updates.Select(u => u.Text)));
    }
}
