using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The cancellation suite for the Messages protocol.</summary>
[Collection(NonParallelCollection.Name)]
public sealed class MessagesCancellationTests(ITestOutputHelper output) : CancellationSuite(output)
{
    protected override WireFormat Wire => MessagesWireFormat.Instance;
}
