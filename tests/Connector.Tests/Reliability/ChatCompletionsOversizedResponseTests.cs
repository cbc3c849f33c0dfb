using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The oversized-response cases for the Chat Completions protocol.</summary>
public sealed class ChatCompletionsOversizedResponseTests(ITestOutputHelper output) : OversizedResponseSuite(output)
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;
}
