using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The security suite for the Chat Completions protocol.</summary>
public sealed class ChatCompletionsSecurityTests : SecuritySuite
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;
}
