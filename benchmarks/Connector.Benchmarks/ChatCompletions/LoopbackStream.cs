using BenchmarkDotNet.Attributes;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>
/// Case 7, whole-stream time: 2,000 text deltas plus usage from the emulator over loopback. The emulator runs
/// in the benchmark process, so its CPU time and allocations are in every row alike; the floor row shows what
/// the server and socket cost with the least possible client.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("ChatCompletions", "EndToEnd")]
public class LoopbackStream
{
    private LoopbackScenario? _scenario;

    /// <summary>Starts the emulator and checks every client once.</summary>
    [GlobalSetup]
    public void Setup() => _scenario = LoopbackScenario.StartAsync().GetAwaiter().GetResult();

    /// <summary>Stops the emulator.</summary>
    [GlobalCleanup]
    public void Cleanup() => _scenario?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Our client.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<int> YuHuan() => LoopbackScenario.DrainAsync(_scenario!.Ours);

    /// <summary><c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Chat.ChatClient</c>.</summary>
    [Benchmark(Description = "MEAI.OpenAI")]
    public Task<int> OpenAI() => LoopbackScenario.DrainAsync(_scenario!.OpenAI);

    /// <summary>The floor over the same socket.</summary>
    [Benchmark(Description = "Floor")]
    public Task<int> Floor() => _scenario!.Floor.ReadAsync();
}
