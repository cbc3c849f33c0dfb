using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// An error the server reports inside a stream reaches the caller with its type on every protocol, whichever shape
/// carries it (each protocol's folder pins the shapes of its own).
/// </summary>
public sealed class MidStreamErrorTypeTests : EmulatorTestBase
{
    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
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
}
