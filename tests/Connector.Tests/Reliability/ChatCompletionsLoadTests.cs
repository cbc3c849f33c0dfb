using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The load test for the Chat Completions protocol.</summary>
public sealed class ChatCompletionsLoadTests(ITestOutputHelper output) : LoadSuite(output)
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;
}
