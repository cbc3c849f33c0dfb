using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The oversized-response cases for the Anthropic Messages protocol.</summary>
public sealed class MessagesOversizedResponseTests(ITestOutputHelper output) : OversizedResponseSuite(output)
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;
}
