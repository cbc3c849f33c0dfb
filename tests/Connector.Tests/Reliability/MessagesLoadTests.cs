using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The load test for the Anthropic Messages protocol.</summary>
public sealed class MessagesLoadTests(ITestOutputHelper output) : LoadSuite(output)
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;
}
