using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The retry suite for the Chat Completions protocol.</summary>
public sealed class ChatCompletionsRetryTests : RetrySuite
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;
}
