using Xunit.Abstractions;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The fuzz properties for the Chat Completions protocol.</summary>
public sealed class ChatCompletionsStreamFuzzTests(ITestOutputHelper output) : StreamFuzzSuite(output)
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;
}
