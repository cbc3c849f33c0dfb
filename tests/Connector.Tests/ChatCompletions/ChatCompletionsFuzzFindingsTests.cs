using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>
/// The cases the fuzz suites found, pinned as plain replays: each failed before its fix (with the exception or
/// misreading named in the test) and must keep passing.
/// </summary>
public sealed class ChatCompletionsFuzzFindingsTests
{
    [Theory]
    [InlineData(" ")]
    [InlineData("\\t")]
    [InlineData("  \\n ")]
    public void BlankFinishReason_MeansNone_NotAnArgumentException(string blank)
    {
        // Was: ArgumentException "Argument is whitespace" from ChatFinishReason's constructor.
        var outcome = Replay(
            ChatCompletionsSse.Chunk("""{"content":"Hi"}"""),
            ChatCompletionsSse.Chunk("{}").Replace("\"finish_reason\":null", $"\"finish_reason\":\"{blank}\"", StringComparison.Ordinal),
            "[DONE]");

        Assert.Null(outcome.Error);
        Assert.Equal("Hi", string.Concat(outcome.Updates.Select(u => u.Text)));
        Assert.All(outcome.Updates, u => Assert.Null(u.FinishReason));
    }

    [Theory]
    [InlineData("""{\"city\":\"\\ud800\"}""", "a lone surrogate in a value")]
    [InlineData("""{\"\\udc00\":1}""", "a lone surrogate in a name")]
    public void ArgumentsThatCannotBecomeText_GoToTheCallsException(string arguments, string what)
    {
        // Was: the lone surrogate in a name escaped as InvalidOperationException; in a value, the call came out
        // "fine" and the function that read the argument threw later.
        var outcome = Replay(
            ChatCompletionsSse.Chunk($$$"""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{{{arguments}}}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        Assert.Null(outcome.Error);
        var call = Assert.Single(outcome.Updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.IsType<InvalidOperationException>(call.Exception);
        Assert.True(call.Arguments is null, what);
    }

    [Fact]
    public void ArgumentsObjectThatIsNotUtf8_GoesToTheCallsException()
    {
        // The arguments-as-an-object quirk, holding a string that is not UTF-8: copied as they are, so only
        // parsing the call can find out; that must land in the call, not escape as InvalidOperationException.
        var outcome = Replay(Encoding.UTF8.GetBytes(ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":{"k":"BAD"}}}]}""")));

        Assert.Null(outcome.Error);
        var call = Assert.Single(outcome.Updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.IsType<InvalidOperationException>(call.Exception);
    }

    [Fact]
    public void EscapedStringThatIsNotUtf8_GoesToTheCallsException()
    {
        // Argument pieces are unescaped together when the call is complete; bytes that are not UTF-8 are found then
        // and reported in the call, never thrown raw, and the rest of the stream is read.
        var outcome = Replay(Encoding.UTF8.GetBytes(ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{\"k\":\"BAD\"}"}}]}""")));

        Assert.Null(outcome.Error);
        var call = Assert.Single(outcome.Updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.IsType<InvalidOperationException>(call.Exception);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("model")]
    [InlineData("created")]
    public void ChunkFieldHoldingAnObject_IsSkippedWhole_ItsMembersAreNotTheChunks(string field)
    {
        // Was: the reader stopped inside the object, took its members for the chunk's own (an id of "INJECTED"),
        // and lost the rest of the chunk (here the text and the finish reason).
        var chunk = $$$"""{"{{{field}}}":{"id":"INJECTED","model":"INJECTED","created":1},"choices":[{"index":0,"delta":{"content":"kept"},"finish_reason":"stop"}]}""";

        var outcome = Replay(chunk, "[DONE]");

        Assert.Null(outcome.Error);
        Assert.Equal("kept", string.Concat(outcome.Updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, outcome.Updates[^1].FinishReason);
        Assert.All(outcome.Updates, u => Assert.NotEqual("INJECTED", u.ResponseId));
        Assert.All(outcome.Updates, u => Assert.NotEqual("INJECTED", u.ModelId));
    }

    [Fact]
    public void ToolCallIndexHoldingAnObject_IsInvalidResponse_NeverReadAsTheCallsFields()
    {
        var outcome = Replay(
            ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":{"function":{"name":"INJECTED"}},"id":"call_1","function":{"name":"real","arguments":"{}"}}]}"""),
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        var ex = Assert.IsType<YuHuanApiException>(outcome.Error);
        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
        Assert.DoesNotContain(outcome.Updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>(), c => c.Name == "INJECTED");
    }

    [Fact]
    public void ArrayElementsThatAreNotObjects_AreSkipped_NotTheEndOfTheArray()
    {
        // Was: a null among choices, tool calls or reasoning details ended the array there, dropping what followed.
        var outcome = Replay(
            """{"id":"c","choices":[null,{"index":0,"delta":{"content":"kept","reasoning_details":[5,{"type":"reasoning.text","text":"thought"}],"tool_calls":["x",{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}]}}],"usage":{"prompt_tokens":3,"completion_tokens":4}}""",
            ChatCompletionsSse.Chunk("{}", "tool_calls"),
            "[DONE]");

        Assert.Null(outcome.Error);
        var contents = outcome.Updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("kept", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
        Assert.Equal("thought", Assert.Single(contents.OfType<TextReasoningContent>()).Text);
        Assert.Equal("f", Assert.Single(contents.OfType<FunctionCallContent>()).Name);
        Assert.Equal(7, Assert.Single(contents.OfType<UsageContent>()).Details.TotalTokenCount);
    }

    private static ReplayOutcome Replay(params string[] events) =>
        ReplayClient.Run(YuHuanProtocol.ChatCompletions, Encoding.UTF8.GetBytes(Sse.Stream("\n", events)), [3]);

    /// <summary>Replays one chunk whose <c>BAD</c> is replaced by a byte sequence that is not UTF-8, then the finish and [DONE].</summary>
    private static ReplayOutcome Replay(byte[] chunk)
    {
        var at = chunk.AsSpan().IndexOf("BAD"u8);
        byte[] body = [.. "data: "u8, .. chunk[..at], 0xC3, 0x28, .. chunk[(at + 3)..], .. "\n\n"u8, .. Encoding.UTF8.GetBytes(Sse.Stream("\n", ChatCompletionsSse.Chunk("{}", "tool_calls"), "[DONE]"))];
        return ReplayClient.Run(YuHuanProtocol.ChatCompletions, body, []);
    }
}
