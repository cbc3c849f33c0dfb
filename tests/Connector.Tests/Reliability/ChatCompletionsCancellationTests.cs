using Xunit.Abstractions;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>The cancellation suite for the Chat Completions protocol.</summary>
[Collection(NonParallelCollection.Name)]
public sealed class ChatCompletionsCancellationTests(ITestOutputHelper output) : CancellationSuite(output)
{
    protected override WireFormat Wire => ChatCompletionsWireFormat.Instance;
}
