using Xunit.Abstractions;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The fuzz properties for the Anthropic Messages protocol.</summary>
public sealed class MessagesStreamFuzzTests(ITestOutputHelper output) : StreamFuzzSuite(output)
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;
}
