using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The security suite for the Anthropic Messages protocol.</summary>
public sealed class MessagesSecurityTests : SecuritySuite
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;
}
