using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The retry suite for the OpenAI Responses protocol.</summary>
public sealed class ResponsesRetryTests : RetrySuite
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;
}
