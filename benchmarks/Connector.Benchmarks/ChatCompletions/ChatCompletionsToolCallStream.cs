using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>Case 2: three tool calls in one Chat Completions response, each call's arguments in 500 fragments.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("ChatCompletions", "Stream")]
public class ChatCompletionsToolCallStream : StreamingBenchmark
{
    /// <summary>The number of argument fragments per call.</summary>
    public const int FragmentsPerCall = 500;

    private protected override string CompetitorName => ChatCompletionsCompetitor.Name;

    /// <summary>Our client.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<int> YuHuan() => DrainAsync(Ours);

    /// <summary><c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Chat.ChatClient</c>.</summary>
    [Benchmark(Description = "MEAI.OpenAI")]
    public Task<int> OpenAI() => DrainAsync(Competitor);

    /// <summary>The floor on the same bytes: each argument fragment extracted as a string.</summary>
    [Benchmark(Description = "Floor")]
    public Task<int> Floor() => FloorAsync();

    private protected override StreamFixture CreateFixture() => ChatCompletionsStreams.ParallelToolCalls(FragmentsPerCall);

    private protected override IChatClient CreateCompetitor(HttpMessageHandler handler, Uri endpoint) =>
        ChatCompletionsCompetitor.Create(handler, endpoint);
}
