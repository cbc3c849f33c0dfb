using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using YuHuan.Connector.Benchmarks.EndToEnd;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks;

/// <summary>
/// Runs the benchmarks with BenchmarkDotNet's command line (<c>--filter</c>, <c>--job short</c>, ...), or with
/// <c>--ttfu [runs]</c> the time-to-first-update measurement of case 7, or with <c>--paired [runs]</c> ours and
/// the floor alternated stream by stream (cases 3 and 1).
/// </summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">BenchmarkDotNet's arguments, <c>--ttfu [runs]</c> or <c>--paired [runs]</c>.</param>
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
}
