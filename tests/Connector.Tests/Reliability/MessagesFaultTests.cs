using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The fault suite for the Anthropic Messages protocol.</summary>
public sealed class MessagesFaultTests : FaultSuite
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;
}
