using System.Reflection;
using System.Runtime.CompilerServices;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// The reliability, fuzz and end-to-end suites are abstract and run once per landed protocol, from a subclass naming its
/// <see cref="WireFormat"/> (or its protocol); <see cref="LandedProtocols"/> is the one list of landed protocols every test project uses.
/// A protocol the client accepts that is missing from the list, or without a subclass of every suite, fails here, so
/// Responses cannot land untested.
/// </summary>
public sealed class LandedProtocolsTests
{
    public static TheoryData<string> Suites => new()
    {
        nameof(FaultSuite), nameof(RetrySuite), nameof(SecuritySuite), nameof(LoadSuite), nameof(OversizedResponseSuite), nameof(StreamFuzzSuite), nameof(CancellationSuite), nameof(SecretEchoSuite),
        nameof(EndToEnd.EndToEndSuite),
    };

    [Fact]
    public void LandedProtocols_AreExactlyThoseTheClientAccepts()
    {
        var accepted = Enum.GetValues<YuHuanProtocol>().Where(IsAccepted).Order().ToList();

        Assert.Contains(YuHuanProtocol.ChatCompletions, accepted);
        Assert.Contains(YuHuanProtocol.Messages, accepted);
        Assert.Equal(accepted, LandedProtocols.Protocols.Order());
        Assert.Equal(LandedProtocols.Protocols, ((IEnumerable<object[]>)LandedProtocols.All).Select(row => (YuHuanProtocol)row[0]));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void EveryLandedProtocol_RunsTheSuite_OnceFromOneSubclass(string suite)
    {
        var baseType = typeof(LandedProtocolsTests).Assembly.GetTypes().Single(t => t.Name == suite && t.IsAbstract);

        var covered = typeof(LandedProtocolsTests).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(baseType))
            .Select(ProtocolOf)
            .Order()
            .ToList();

        Assert.Equal(LandedProtocols.Protocols.Order(), covered);
    }

    private static bool IsAccepted(YuHuanProtocol protocol)
    {
        try
        {
            new YuHuanChatClient(new YuHuanChatClientOptions { Protocol = protocol, ApiKey = "k" }).Dispose();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads a suite's protocol without running its constructor: <c>Wire</c> only returns a static instance, and a suite
    /// without one (the end-to-end suite) names its <c>Protocol</c> as a constant.
    /// </summary>
    private static YuHuanProtocol ProtocolOf(Type suite)
    {
        var instance = RuntimeHelpers.GetUninitializedObject(suite);
        return suite.GetProperty("Wire", BindingFlags.Instance | BindingFlags.NonPublic) is { } wire
            ? ((WireFormat)wire.GetValue(instance)!).Protocol
            : (YuHuanProtocol)suite.GetProperty("Protocol", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(instance)!;
    }
}
