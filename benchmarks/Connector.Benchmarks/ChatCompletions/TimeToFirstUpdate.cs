using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>
/// Case 7, the latency half (<c>--ttfu</c>): time to first update, time to first text and updates per second,
/// every client in the same process against the same emulator, runs interleaved so noise hits all alike;
/// medians are reported. A second, paced stream (events 5 ms apart) shows buffering: a client that waits
/// for more than one event before yielding gets a first-text time of several pauses instead of about one.
/// </summary>
internal static class TimeToFirstUpdate
{
    private const int PacedDeltas = 20;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    /// <summary>Runs both streams and prints a Markdown table for each.</summary>
    /// <param name="runs">The measured runs per client for the full-speed stream.</param>
    public static async Task RunAsync(int runs)
    {
        RaisePriority();
        Console.WriteLine($"Time to first update, loopback emulator, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        await using (var scenario = await LoopbackScenario.StartAsync())
        {
            var results = await MeasureAsync(scenario, warmup: 30, runs);
            Print($"Full speed: {LoopbackScenario.Deltas} text deltas plus usage, {runs} runs per client", results, withRate: true);
        }

        await using (var paced = await LoopbackScenario.StartAsync(Pace, PacedDeltas))
        {
            var pacedRuns = Math.Max(10, runs / 5);
            var results = await MeasureAsync(paced, warmup: 2, pacedRuns);
            Print($"Paced: {PacedDeltas} text deltas {Pace.TotalMilliseconds} ms apart, {pacedRuns} runs per client", results, withRate: false);
        }
    }

    /// <summary>Runs at high priority, as BenchmarkDotNet runs its benchmark processes, so both modes see the same machine.</summary>
    private static void RaisePriority()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            process.PriorityClass = ProcessPriorityClass.High;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            Console.WriteLine($"(could not raise the process priority: {ex.Message}; numbers will be noisier)");
        }
    }

    private static async Task<Dictionary<string, List<Sample>>> MeasureAsync(LoopbackScenario scenario, int warmup, int runs)
    {
        var clients = new (string Name, Func<Task<Sample>> Run)[]
        {
            ("YuHuan", () => MeasureClientAsync(scenario.Ours)),
            ("MEAI.OpenAI", () => MeasureClientAsync(scenario.OpenAI)),
            ("Floor", () => MeasureFloorAsync(scenario)),
        };
        var results = clients.ToDictionary(c => c.Name, _ => new List<Sample>(runs));
        for (var run = 0; run < warmup + runs; run++)
        {
            // Rotate the order so no client always follows the same one.
            for (var k = 0; k < clients.Length; k++)
            {
                var (name, measure) = clients[(run + k) % clients.Length];
                var sample = await measure();
                if (run >= warmup)
                {
                    results[name].Add(sample);
                }
            }
        }

        return results;
    }

    private static async Task<Sample> MeasureClientAsync(IChatClient client)
    {
        var start = Stopwatch.GetTimestamp();
        long firstUpdate = 0, firstText = 0;
        var updates = 0;
        await foreach (var update in client.GetStreamingResponseAsync(LoopbackScenario.Prompt))
        {
            var now = Stopwatch.GetTimestamp();
            if (updates++ == 0)
            {
                firstUpdate = now;
            }

            if (firstText == 0 && update.Contents.OfType<TextContent>().Any(t => t.Text.Length > 0))
            {
                firstText = now;
            }
        }

        return new Sample(Stopwatch.GetElapsedTime(start, firstUpdate), Stopwatch.GetElapsedTime(start, firstText), Stopwatch.GetElapsedTime(start), updates);
    }

    private static async Task<Sample> MeasureFloorAsync(LoopbackScenario scenario)
    {
        var start = Stopwatch.GetTimestamp();
        long first = 0;
        var deltas = await scenario.Floor.ReadAsync(_ =>
        {
            if (first == 0)
            {
                first = Stopwatch.GetTimestamp();
            }
        });
        var elapsed = Stopwatch.GetElapsedTime(start);
        var firstDelta = Stopwatch.GetElapsedTime(start, first);
        return new Sample(firstDelta, firstDelta, elapsed, deltas);
    }

    private static void Print(string title, Dictionary<string, List<Sample>> results, bool withRate)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine(withRate
            ? "| Client | TTFU median | TTFU p90 | First text median | Whole stream median | Updates/s (median) |\n|---|---:|---:|---:|---:|---:|"
            : "| Client | TTFU median | TTFU p90 | First text median | Whole stream median |\n|---|---:|---:|---:|---:|");
        foreach (var (name, samples) in results)
        {
            var ttfu = samples.Select(s => s.FirstUpdate.TotalMicroseconds).Order().ToArray();
            var text = Median(samples.Select(s => s.FirstText.TotalMicroseconds));
            var whole = Median(samples.Select(s => s.Whole.TotalMilliseconds));
            var rate = Median(samples.Select(s => s.Updates / s.Whole.TotalSeconds));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {Median(ttfu):N0} µs | {ttfu[(int)(ttfu.Length * 0.9)]:N0} µs | {text:N0} µs | {whole:N2} ms |{(withRate ? $" {rate:N0} |" : string.Empty)}"));
        }

        Console.WriteLine();
        Console.WriteLine(withRate
            ? "Floor: its first delta stands for the first update and the first text; its rate counts deltas."
            : "Floor: it yields deltas only, so its first update is the first text; compare that column. A client that buffered would show a first text of several pauses.");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private readonly record struct Sample(TimeSpan FirstUpdate, TimeSpan FirstText, TimeSpan Whole, int Updates);
}
