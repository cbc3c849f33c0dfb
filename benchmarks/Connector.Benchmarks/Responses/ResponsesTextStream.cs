using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Responses;

/// <summary>Case 4, fixture A: a Responses stream of one message item in 2,000 small <c>response.output_text.delta</c>s
/// plus <c>response.completed</c> with the usage, read to the end.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Responses", "Stream")]
public class ResponsesTextStream : StreamingBenchmark
{
    /// <summary>The number of text deltas.</summary>
    public const int Deltas = 2000;

    private protected override string CompetitorName => ResponsesCompetitor.Name;

    /// <summary>Our client, <see cref="YuHuanProtocol.Responses"/>.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<int> YuHuan() => DrainAsync(Ours);

    /// <summary><c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Responses.ResponsesClient</c>.</summary>
    [Benchmark(Description = "MEAI.OpenAI")]
    public Task<int> OpenAI() => DrainAsync(Competitor);

    /// <summary>The floor on the same bytes: <c>SseParser</c> plus one <c>Utf8JsonReader</c> pass per event.</summary>
    [Benchmark(Description = "Floor")]
    public Task<int> Floor() => FloorAsync();

    private protected override StreamFixture CreateFixture() => ResponsesStreams.Text(Deltas);

    private protected override IChatClient CreateCompetitor(HttpMessageHandler handler, Uri endpoint) =>
        ResponsesCompetitor.Create(handler, endpoint);
}
