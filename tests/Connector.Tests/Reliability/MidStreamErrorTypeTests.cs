using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// An error the server reports inside a stream reaches the caller with its type on every protocol, whichever shape
/// carries it (a Responses <c>error</c> event flat or nested, or <c>response.failed</c>).
/// </summary>
public sealed class MidStreamErrorTypeTests : EmulatorTestBase
{
    [Theory]
    [MemberData(nameof(LandedProtocols.All), MemberType = typeof(LandedProtocols))]
    public async Task OverloadedMidStream_ReachesTheCaller_WithItsErrorType(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(new EmulatorReply().AddText("Half an answer").WithStreamError("The model is overloaded.", "overloaded_error"));
        using var client = CreateClient(o => (o.Protocol, o.MaxRetries) = (protocol, 0));

        var text = new List<string>();
        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                text.Add(update.Text);
            }
        });

        Assert.Equal("overloaded_error", ex.ErrorType);
        Assert.Contains("The model is overloaded.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Half an answer", string.Concat(text));
    }

    [Theory]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","code":null,"message":"Busy."}}""", "overloaded_error")]
    [InlineData("""{"type":"error","code":"overloaded_error","message":"Busy.","param":null}""", "overloaded_error")]
    [InlineData("""{"message":"Busy.","code":"overloaded_error","type":"error"}""", "overloaded_error")]
    [InlineData("""{"type":"response.failed","response":{"id":"resp_1","status":"failed","error":{"type":"overloaded_error","message":"Busy."}}}""", "overloaded_error")]
    [InlineData("""{"type":"response.failed","response":{"id":"resp_1","status":"failed","error":{"code":"overloaded_error","message":"Busy."}}}""", "overloaded_error")]
    public void ResponsesErrorShapes_CarryTheErrorType(string errorEvent, string expected)
    {
        var (_, failure) = FeedUntilFailure(NewMapper(), Created(), errorEvent);

        Assert.Equal(expected, failure.ErrorType);
        Assert.Contains("Busy.", failure.Message, StringComparison.Ordinal);
    }
}
