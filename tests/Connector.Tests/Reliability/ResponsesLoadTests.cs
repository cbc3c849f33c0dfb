using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The load test for the OpenAI Responses protocol.</summary>
public sealed class ResponsesLoadTests(ITestOutputHelper output) : LoadSuite(output)
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;
}
