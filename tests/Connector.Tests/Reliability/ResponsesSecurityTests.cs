using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The security suite for the OpenAI Responses protocol.</summary>
public sealed class ResponsesSecurityTests : SecuritySuite
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;
}
