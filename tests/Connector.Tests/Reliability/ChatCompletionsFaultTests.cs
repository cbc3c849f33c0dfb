using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The fault suite for the Chat Completions protocol.</summary>
public sealed class ChatCompletionsFaultTests : FaultSuite
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;
}
