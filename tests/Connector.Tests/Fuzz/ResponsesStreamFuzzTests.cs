using Xunit.Abstractions;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The fuzz properties for the OpenAI Responses protocol.</summary>
public sealed class ResponsesStreamFuzzTests(ITestOutputHelper output) : StreamFuzzSuite(output)
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;
}
