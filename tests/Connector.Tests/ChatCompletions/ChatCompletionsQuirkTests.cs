using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Server quirks found in review: split surrogate pairs, calls told apart only by id or name, varying ids.</summary>
public sealed class ChatCompletionsQuirkTests
{
    public static TheoryData<string, int> Deliveries => Sse.Deliveries;

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_SurrogatePairSplitAcrossChunks_IsJoinedInTextReasoningAndArguments(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"reasoning_content":"think \ud83e"}"""),
            ChatCompletionsSse.Chunk("""{"reasoning_content":"\udd14 done"}"""),
            ChatCompletionsSse.Chunk("""{"content":"a\ud83d"}"""),
            ChatCompletionsSse.Chunk("""{"content":"\ude00b"}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{\"e\":\"\ud83d"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\ude00\"}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("think 🤔 done", string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("a😀b", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
        // Every piece handed out is valid text on its own: no lone surrogate (which would enumerate as U+FFFD).
        Assert.All(contents.OfType<TextContent>(), t => Assert.DoesNotContain(System.Text.Rune.ReplacementChar, t.Text.EnumerateRunes()));
        var call = Assert.Single(contents.OfType<FunctionCallContent>());
        Assert.Null(call.Exception);
        Assert.Equal("😀", ((JsonElement)call.Arguments!["e"]!).GetString());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_EveryCallNumberedZeroWithOwnIds_GivesSeparateCalls(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"call_a","function":{"name":"f","arguments":"{\"x\":"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"call_b","function":{"name":"g","arguments":"{\"y\":"}}]}"""),
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"2}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var calls = (await ReplayHandler.CollectAsync(sse, chunk)).SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();

        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal(["f", "g"], calls.Select(c => c.Name));
        Assert.Equal(1, ((JsonElement)calls[0].Arguments!["x"]!).GetInt32());
        Assert.Equal(2, ((JsonElement)calls[1].Arguments!["y"]!).GetInt32());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TwoCallsWithoutIndexOrId_GiveSeparateCalls()
    {
        var sse = Sse.Stream(
            "\n",
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"function":{"name":"a","arguments":"{\"x\":1}"}},{"function":{"name":"b","arguments":"{\"y\":2}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var calls = (await ReplayHandler.CollectAsync(sse, int.MaxValue)).SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();

        Assert.Equal(["a", "b"], calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_IdThatVariesPerChunk_FirstIdIsKeptOnEveryUpdate()
    {
        var sse = Sse.Stream("\n", ChatCompletionsSse.Chunk("""{"content":"x"}""", id: "id-1"), ChatCompletionsSse.Chunk("""{"content":"y"}""", "stop", id: "id-2"), "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, int.MaxValue);

        Assert.All(updates, u => Assert.Equal("id-1", u.ResponseId));
        Assert.Single(updates.ToChatResponse().Messages);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_TwoChoices_ReportsChoiceZeroOnly_NeverAMix(string eol, int chunk)
    {
        static string Choice(int index, string delta, string? finish = null) =>
            $$"""{"id":"chatcmpl-1","model":"m-1","choices":[{"index":{{index}},"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : "\"" + finish + "\"")}}}]}""";

        var sse = Sse.Stream(
            eol,
            Choice(0, """{"content":"A1 "}"""),
            Choice(1, """{"content":"B1 "}"""),
            Choice(0, """{"content":"A2"}"""),
            """{"id":"chatcmpl-1","choices":[{"delta":{"content":"B2"},"index":1},{"delta":{"content":"A3"},"index":0}]}""",
            Choice(1, "{}", "length"),
            Choice(0, "{}", "stop"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        Assert.Equal("A1 A2A3", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("true")]
    [InlineData("""{"text":"hidden"}""")]
    public async Task GetStreamingResponseAsync_ContentOfTheWrongType_IsInvalidResponse_NotDropped(string content)
    {
        var sse = Sse.Stream("\n", ChatCompletionsSse.Chunk("""{"content":"before "}"""), ChatCompletionsSse.Chunk($$"""{"content":{{content}}}"""), ChatCompletionsSse.Chunk("{}", "stop"), "[DONE]");

        var error = await Assert.ThrowsAsync<YuHuanApiException>(() => ReplayHandler.CollectAsync(sse));

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, error.ErrorType);
        Assert.Null(error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ContentPartsWithThinking_ReasoningIsKept(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"Weighing "},{"type":"text","text":"options."}]}]}"""),
            ChatCompletionsSse.Chunk("""{"content":[{"type":"text","text":"The answer"}]}"""),
            ChatCompletionsSse.Chunk("""{"content":[{"thinking":[{"text":"late thought"}],"type":"thinking"},{"type":"text","text":" is 42."}]}"""),
            ChatCompletionsSse.Chunk("{}", "stop"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("Weighing options.late thought", string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("The answer is 42.", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
    }
}
