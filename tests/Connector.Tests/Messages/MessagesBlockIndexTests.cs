using Microsoft.Extensions.AI;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// A content block's identity is its <c>index</c>: an index that is not a non-negative 32-bit integer, or a block started
/// on an index that is still open, would put two tool calls under one key (one lost, or both fused), so either fails the
/// response as <c>invalid_response</c>.
/// </summary>
public sealed class MessagesBlockIndexTests
{
    public static TheoryData<string, int> Deliveries => MessagesSse.Deliveries;

    /// <summary>Index values that are no block index, as JSON: negative, fractional, beyond 32 bits, a string, another type.</summary>
    private static readonly string[] BadIndices = ["-1", "1.5", "2147483648", "\"0\"", "true", "{}"];

    /// <summary>Each bad index, on each kind of event that carries one (0 the start, 1 the delta, 2 the stop of the second block).</summary>
    public static TheoryData<string, int> BadIndexOnEachEvent
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var index in BadIndices)
            {
                for (var position = 0; position < 3; position++)
                {
                    data.Add(index, position);
                }
            }

            return data;
        }
    }

    [Theory]
    [InlineData("-1", "1.5")]
    [InlineData("2147483648", "\"0\"")]
    public async Task GetStreamingResponseAsync_InterleavedToolUseBlocksAtBadIndices_ThrowsInvalidResponseNoCallFusedOrLost(string first, string second)
    {
        // Four tool_use blocks, interleaved: the first two at valid indices, the last two at indices that are none.
        var sse = Message(
            "\n",
            "tool_use",
            ToolUseStart(0, "c_0", "f"),
            ToolUseStart(1, "c_1", "f"),
            At(ToolUseStart(2, "c_a", "f"), 2, first),
            At(ToolUseStart(3, "c_b", "f"), 3, second),
            InputJsonDelta(0, """{\"n\":0}"""),
            InputJsonDelta(1, """{\"n\":1}"""),
            At(InputJsonDelta(2, """{\"a\":1}"""), 2, first),
            At(InputJsonDelta(3, """{\"b\":2}"""), 3, second),
            BlockStop(0),
            BlockStop(1),
            At(BlockStop(2), 2, first),
            At(BlockStop(3), 3, second));

        var (received, failure) = await CollectUntilFailureAsync(sse, int.MaxValue);

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Contains("index", failure.Message, StringComparison.Ordinal);
        Assert.Empty(All<FunctionCallContent>(received));
    }

    [Theory]
    [MemberData(nameof(BadIndexOnEachEvent))]
    public async Task GetStreamingResponseAsync_BadIndexOnStartDeltaOrStop_ThrowsInvalidResponseAfterTheCallBefore(string index, int position)
    {
        string[] second = [ToolUseStart(1, "c_b", "g"), InputJsonDelta(1, """{\"b\":2}"""), BlockStop(1)];
        second[position] = At(second[position], 1, index);
        var sse = Message("\n", "tool_use", [ToolUseStart(0, "c_a", "f"), InputJsonDelta(0, """{\"a\":1}"""), BlockStop(0), .. second]);

        var (received, failure) = await CollectUntilFailureAsync(sse, int.MaxValue);

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        var call = Assert.Single(All<FunctionCallContent>(received));
        Assert.Equal("c_a", call.CallId);
        Assert.Equal(1, Argument(call, "a").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ToolUseStartedOnAnOpenIndex_ThrowsInvalidResponseNeverOneFusedCall(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "tool_use",
            ToolUseStart(0, "c_a", "f"),
            InputJsonDelta(0, """{\"a\":1}"""),
            ToolUseStart(0, "c_b", "f"),
            InputJsonDelta(0, """{\"b\":2}"""),
            BlockStop(0));

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Contains("index 0", failure.Message, StringComparison.Ordinal);
        Assert.Empty(All<FunctionCallContent>(received));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_TextBlockStartedOnAnOpenIndex_ThrowsInvalidResponse(string eol, int chunk)
    {
        var sse = Message(eol, "end_turn", TextStart(0), TextDelta(0, "one"), TextStart(0), TextDelta(0, "two"), BlockStop(0));

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Equal("one", string.Concat(received.Select(u => u.Text)));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_IndexReusedAfterItsStop_TwoCalls(string eol, int chunk)
    {
        // Servers that number every block 0: each one is stopped before the next starts, so nothing is ambiguous.
        var sse = Message(
            eol,
            "tool_use",
            ToolUseStart(0, "c_a", "f"),
            InputJsonDelta(0, """{\"a\":1}"""),
            BlockStop(0),
            ToolUseStart(0, "c_b", "g"),
            InputJsonDelta(0, """{\"b\":2}"""),
            BlockStop(0));

        var calls = All<FunctionCallContent>(await CollectAsync(sse, chunk));

        Assert.Equal(["c_a", "c_b"], calls.Select(c => c.CallId));
        Assert.Equal(1, Argument(calls[0], "a").GetInt32());
        Assert.Equal(2, Argument(calls[1], "b").GetInt32());
        Assert.All(calls, c => Assert.Null(c.Exception));
    }

    /// <summary>Puts <paramref name="json"/> where <paramref name="index"/> stands as the event's index.</summary>
    private static string At(string e, int index, string json) =>
        e.Replace($"\"index\":{index},", $"\"index\":{json},", StringComparison.Ordinal).Replace($"\"index\":{index}}}", $"\"index\":{json}}}", StringComparison.Ordinal);
}
