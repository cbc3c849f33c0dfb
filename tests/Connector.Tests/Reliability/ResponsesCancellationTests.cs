using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The cancellation suite for the OpenAI Responses protocol.</summary>
[Collection(NonParallelCollection.Name)]
public sealed class ResponsesCancellationTests(ITestOutputHelper output) : CancellationSuite(output)
{
    protected override WireFormat Wire => ResponsesWireFormat.Instance;
}
