using System.Reflection;
using System.Runtime.CompilerServices;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// <see cref="EndToEndSuite"/> runs once per protocol, from a subclass naming it. A protocol the client accepts without
/// such a subclass fails here, so no protocol lands without its end-to-end run over the emulator.
/// </summary>
public sealed class EndToEndCoverageTests
{
    [Fact]
    public void EveryProtocolTheClientAccepts_RunsTheEndToEndSuite()
    {
        var accepted = Enum.GetValues<YuHuanProtocol>().Where(IsAccepted).Order().ToList();

        var covered = typeof(EndToEndSuite).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(EndToEndSuite)))
            .Select(ProtocolOf)
            .Order()
            .ToList();

        Assert.Contains(YuHuanProtocol.Messages, accepted);
        Assert.Equal(accepted, covered);
    }

    private static bool IsAccepted(YuHuanProtocol protocol)
    {
        try
        {
            new YuHuanChatClient(new YuHuanChatClientOptions { Protocol = protocol }).Dispose();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Reads a suite's protocol without running its constructor: <c>Protocol</c> only returns a constant.</summary>
    private static YuHuanProtocol ProtocolOf(Type suite)
    {
        var protocol = suite.GetProperty("Protocol", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return (YuHuanProtocol)protocol.GetValue(RuntimeHelpers.GetUninitializedObject(suite))!;
    }
}
