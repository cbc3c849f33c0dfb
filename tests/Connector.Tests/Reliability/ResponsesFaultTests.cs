using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The fault suite for the OpenAI Responses protocol.</summary>
public sealed class ResponsesFaultTests : FaultSuite
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;
}
