using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The oversized-response cases for the OpenAI Responses protocol.</summary>
public sealed class ResponsesOversizedResponseTests(ITestOutputHelper output) : OversizedResponseSuite(output)
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;
}
