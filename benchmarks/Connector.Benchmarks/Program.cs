using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using YuHuan.Connector.Benchmarks.ChatCompletions;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks;

/// <summary>
/// Runs the benchmarks with BenchmarkDotNet's command line (<c>--filter</c>, <c>--job short</c>, ...), or with
/// <c>--ttfu [runs]</c> the time-to-first-update measurement of case 7, or with <c>--paired [runs]</c> ours and
/// the floor alternated stream by stream, or with <c>--verify</c> every streaming case's correctness check
/// with each reader checked on its own.
/// </summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">BenchmarkDotNet's arguments, <c>--ttfu [runs]</c>, <c>--paired [runs]</c> or <c>--verify</c>.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--ttfu")
        {
            var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
            await TimeToFirstUpdate.RunAsync(runs);
            return 0;
        }

        if (args.Length > 0 && args[0] == "--paired")
        {
            var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 400;
            await PairedCheck.RunAsync(runs);
            return 0;
        }

        if (args.Length > 0 && args[0] == "--verify")
        {
            return await VerifyStreamsAsync() ? 0 : 1;
        }

        // Median and Min next to the mean: other builds on a shared machine add noise that skews the mean upwards.
        var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        var artifacts = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BenchmarkArtifacts")?.Value;
        if (artifacts is not null && !args.Contains("--artifacts"))
        {
            config = config.WithArtifactsPath(artifacts);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>Runs every streaming case's verification with each reader checked on its own, so one broken
    /// reader does not hide the others' results; nothing is timed.</summary>
    private static async Task<bool> VerifyStreamsAsync()
    {
        var allOk = true;
        foreach (var type in StreamingBenchmark.AllCases())
        {
            var benchmark = (StreamingBenchmark)Activator.CreateInstance(type)!;
            foreach (var line in await benchmark.VerifyEachAsync())
            {
                allOk &= line.EndsWith(": ok", StringComparison.Ordinal);
                Console.WriteLine($"{type.Name,-32} {line}");
            }

            benchmark.Cleanup();
        }

        return allOk;
    }
}
