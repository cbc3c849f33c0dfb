using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Responses;

/// <summary>Case 4, fixture B: three <c>function_call</c> items in one Responses stream, each one's arguments in
/// 500 <c>response.function_call_arguments.delta</c> fragments.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Responses", "Stream")]
public class ResponsesToolCallStream : StreamingBenchmark
{
    /// <summary>The number of argument fragments per call.</summary>
    public const int FragmentsPerCall = 500;

    private protected override string CompetitorName => ResponsesCompetitor.Name;

    /// <summary>Our client, <see cref="YuHuanProtocol.Responses"/>.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<int> YuHuan() => DrainAsync(Ours);

    /// <summary><c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Responses.ResponsesClient</c>.</summary>
    [Benchmark(Description = "MEAI.OpenAI")]
    public Task<int> OpenAI() => DrainAsync(Competitor);

    /// <summary>The floor on the same bytes: each argument fragment extracted as a string.</summary>
    [Benchmark(Description = "Floor")]
    public Task<int> Floor() => FloorAsync();

    private protected override StreamFixture CreateFixture() => ResponsesStreams.ParallelToolCalls(FragmentsPerCall);

    private protected override IChatClient CreateCompetitor(HttpMessageHandler handler, Uri endpoint) =>
        ResponsesCompetitor.Create(handler, endpoint);
}
