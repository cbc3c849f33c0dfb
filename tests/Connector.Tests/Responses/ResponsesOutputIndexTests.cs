using Microsoft.Extensions.AI;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>
/// An output item's identity is its <c>output_index</c>: an index that is not a non-negative 32-bit integer, or a second
/// function call on an index that already holds one, would fuse or drop calls, so either fails the response as
/// <c>invalid_response</c>; a call is never dropped silently.
/// </summary>
public sealed class ResponsesOutputIndexTests
{
    /// <summary>Each value that is no output index (as JSON), on each event of the second call (0 added, 1 arguments delta, 2 arguments done, 3 item done).</summary>
    public static TheoryData<string, int> BadIndexOnEachEvent
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var index in new[] { "-1", "1.5", "2147483648", "\"0\"", "true", "[]" })
            {
                for (var position = 0; position < 4; position++)
                {
                    data.Add(index, position);
                }
            }

            return data;
        }
    }

    [Fact]
    public void OnEvent_FourFunctionCallsAtIndicesThatAreNone_ThrowsInvalidResponseNoCallFusedOrLost()
    {
        string[] indices = ["-1", "1.5", "2147483648", "\"0\""];
        var events = new List<string> { Created() };
        for (var i = 0; i < indices.Length; i++)
        {
            var item = FunctionCallItem($"fc_{i}", $"call_{i}", "f");
            events.Add(At(Added(9, item), indices[i]));
            events.Add(At(ArgumentsDelta(9, $"fc_{i}", $$"""{\"n\":{{i}}}"""), indices[i]));
            events.Add(At(Done(9, FunctionCallItem($"fc_{i}", $"call_{i}", "f", $$"""{\"n\":{{i}}}""", "completed")), indices[i]));
        }

        events.Add(Completed());

        var (received, failure) = FeedUntilFailure(NewMapper(), [.. events]);

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Contains("output_index", failure.Message, StringComparison.Ordinal);
        Assert.Empty(All<FunctionCallContent>(received));
    }

    [Theory]
    [MemberData(nameof(BadIndexOnEachEvent))]
    public void OnEvent_BadOutputIndexOnAnyEventOfACall_ThrowsInvalidResponseAfterTheCallBefore(string index, int position)
    {
        string[] second =
        [
            Added(1, FunctionCallItem("fc_b", "call_b", "g")),
            ArgumentsDelta(1, "fc_b", """{\"b\":2}"""),
            ArgumentsDone(1, "fc_b", """{\"b\":2}"""),
            Done(1, FunctionCallItem("fc_b", "call_b", "g", """{\"b\":2}""", "completed")),
        ];
        second[position] = At(second[position], index, from: 1);

        var (received, failure) = FeedUntilFailure(
            NewMapper(),
            [
                Created(),
                Added(0, FunctionCallItem("fc_a", "call_a", "f")),
                ArgumentsDelta(0, "fc_a", """{\"a\":1}"""),
                Done(0, FunctionCallItem("fc_a", "call_a", "f", """{\"a\":1}""", "completed")),
                .. second,
                Completed(),
            ]);

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        var call = Assert.Single(All<FunctionCallContent>(received));
        Assert.Equal("call_a", call.CallId);
    }

    [Fact]
    public void OnEvent_BadOutputIndexOnATextDeltaOrAnnotation_ThrowsInvalidResponse()
    {
        foreach (var e in new[]
        {
            At(TextDelta(0, "msg_1", "Hi"), "-1", from: 0),
            """{"type":"response.output_text.annotation.added","item_id":"msg_1","output_index":1.5,"content_index":0,"annotation_index":0,"annotation":{"type":"url_citation","url":"https://example.com/","title":"t","start_index":0,"end_index":2}}""",
        })
        {
            var (_, failure) = FeedUntilFailure(NewMapper(), Created(), Added(0, MessageItem("msg_1")), e, Completed());

            Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        }
    }

    [Fact]
    public void OnEvent_SecondFunctionCallAddedOnAnOpenIndex_ThrowsInvalidResponseNeverOneFusedCall()
    {
        var (received, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_a", "call_a", "f")),
            ArgumentsDelta(0, "fc_a", """{\"a\":1}"""),
            Added(0, FunctionCallItem("fc_b", "call_b", "f")),
            ArgumentsDelta(0, "fc_b", """{\"b\":2}"""),
            Done(0, FunctionCallItem("fc_b", "call_b", "f", status: "completed")),
            Completed());

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Contains("output_index 0", failure.Message, StringComparison.Ordinal);
        Assert.Empty(All<FunctionCallContent>(received));
    }

    [Fact]
    public void OnEvent_SecondFunctionCallAddedOnAnIndexAlreadyDone_ThrowsInvalidResponseAfterTheFirstCall()
    {
        var (received, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_a", "call_a", "f")),
            ArgumentsDelta(0, "fc_a", """{\"a\":1}"""),
            Done(0, FunctionCallItem("fc_a", "call_a", "f", status: "completed")),
            Added(0, FunctionCallItem("fc_b", "call_b", "g")),
            ArgumentsDelta(0, "fc_b", """{\"b\":2}"""),
            Done(0, FunctionCallItem("fc_b", "call_b", "g", status: "completed")),
            Completed());

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        var call = Assert.Single(All<FunctionCallContent>(received));
        Assert.Equal("call_a", call.CallId);
        Assert.Equal(1, Argument(call, "a").GetInt32());
    }

    [Fact]
    public void OnEvent_SecondDoneFunctionCallOfAnotherCallIdOnADoneIndex_ThrowsInvalidResponse()
    {
        var (received, failure) = FeedUntilFailure(
            NewMapper(),
            Created(),
            Done(0, FunctionCallItem("fc_a", "call_a", "f", """{\"a\":1}""", "completed")),
            Done(0, FunctionCallItem("fc_b", "call_b", "g", """{\"b\":2}""", "completed")),
            Completed());

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Equal("call_a", Assert.Single(All<FunctionCallContent>(received)).CallId);
    }

    [Fact]
    public void OnEvent_RepeatedDoneOfTheSameCall_IsAHarmlessDuplicate()
    {
        var done = Done(0, FunctionCallItem("fc_a", "call_a", "f", """{\"a\":1}""", "completed"));

        var updates = Feed(NewMapper(), Created(), Added(0, FunctionCallItem("fc_a", "call_a", "f")), done, done, Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("call_a", call.CallId);
        Assert.Equal(1, Argument(call, "a").GetInt32());
    }

    /// <summary>Puts <paramref name="json"/> where output index <paramref name="from"/> stands in the event.</summary>
    private static string At(string e, string json, int from = 9) =>
        e.Replace($"\"output_index\":{from},", $"\"output_index\":{json},", StringComparison.Ordinal);
}
