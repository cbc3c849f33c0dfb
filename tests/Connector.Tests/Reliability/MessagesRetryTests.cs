using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The retry suite for the Anthropic Messages protocol.</summary>
public sealed class MessagesRetryTests : RetrySuite
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;
}
