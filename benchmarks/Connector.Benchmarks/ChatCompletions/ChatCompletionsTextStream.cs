using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>Cases 1 and 5: a Chat Completions stream of 2,000 small text deltas plus a usage chunk, read to the end.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("ChatCompletions", "Stream")]
public class ChatCompletionsTextStream : StreamingBenchmark
{
    /// <summary>The number of text deltas.</summary>
    public const int Deltas = 2000;

    internal override bool HasRawRow => true;

    private protected override string CompetitorName => ChatCompletionsCompetitor.Name;

    /// <summary>Our client.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<int> YuHuan() => DrainAsync(Ours);

    /// <summary>Our client with <see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/> on: what the option costs (the <c>YuHuan</c> row has it off, the default).</summary>
    [Benchmark(Description = "YuHuanRaw")]
    public Task<int> YuHuanRaw() => DrainAsync(OursRaw);

    /// <summary><c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Chat.ChatClient</c>.</summary>
    [Benchmark(Description = "MEAI.OpenAI")]
    public Task<int> OpenAI() => DrainAsync(Competitor);

    /// <summary>Case 5: <c>SseParser</c> plus one <c>Utf8JsonReader</c> pass per event.</summary>
    [Benchmark(Description = "Floor")]
    public Task<int> Floor() => FloorAsync();

    private protected override StreamFixture CreateFixture() => ChatCompletionsStreams.Text(Deltas);

    private protected override IChatClient CreateCompetitor(HttpMessageHandler handler, Uri endpoint) =>
        ChatCompletionsCompetitor.Create(handler, endpoint);
}
