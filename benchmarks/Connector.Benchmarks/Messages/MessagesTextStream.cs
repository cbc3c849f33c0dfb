using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Messages;

/// <summary>Case 3, fixture A: a Messages stream of one text block in 2,000 small <c>text_delta</c>s plus usage, read to the end.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Messages", "Stream")]
public class MessagesTextStream : StreamingBenchmark
{
    /// <summary>The number of text deltas.</summary>
    public const int Deltas = 2000;

    private protected override string CompetitorName => MessagesCompetitor.Name;

    /// <summary>Our client, <see cref="YuHuanProtocol.Messages"/>.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<int> YuHuan() => DrainAsync(Ours);

    /// <summary>The <c>Anthropic</c> package's <c>AnthropicClient.AsIChatClient()</c>.</summary>
    [Benchmark(Description = "Anthropic")]
    public Task<int> Anthropic() => DrainAsync(Competitor);

    /// <summary>The floor on the same bytes: <c>SseParser</c> plus one <c>Utf8JsonReader</c> pass per event.</summary>
    [Benchmark(Description = "Floor")]
    public Task<int> Floor() => FloorAsync();

    private protected override StreamFixture CreateFixture() => MessagesStreams.Text(Deltas);

    private protected override IChatClient CreateCompetitor(HttpMessageHandler handler, Uri endpoint) =>
        MessagesCompetitor.Create(handler, endpoint);
}
