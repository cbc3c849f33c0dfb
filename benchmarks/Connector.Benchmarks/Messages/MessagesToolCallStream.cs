using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Messages;

/// <summary>Case 3, fixture B: three <c>tool_use</c> blocks in one Messages response, each input in 500 <c>input_json_delta</c> fragments.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Messages", "Stream")]
public class MessagesToolCallStream : StreamingBenchmark
{
    /// <summary>The number of argument fragments per call.</summary>
    public const int FragmentsPerCall = 500;

    private protected override string CompetitorName => MessagesCompetitor.Name;

    /// <summary>Our client, <see cref="YuHuanProtocol.Messages"/>.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<int> YuHuan() => DrainAsync(Ours);

    /// <summary>The <c>Anthropic</c> package's <c>AnthropicClient.AsIChatClient()</c>.</summary>
    [Benchmark(Description = "Anthropic")]
    public Task<int> Anthropic() => DrainAsync(Competitor);

    /// <summary>The floor on the same bytes: each <c>partial_json</c> fragment extracted as a string.</summary>
    [Benchmark(Description = "Floor")]
    public Task<int> Floor() => FloorAsync();

    private protected override StreamFixture CreateFixture() => MessagesStreams.ParallelToolCalls(FragmentsPerCall);

    private protected override IChatClient CreateCompetitor(HttpMessageHandler handler, Uri endpoint) =>
        MessagesCompetitor.Create(handler, endpoint);
}
