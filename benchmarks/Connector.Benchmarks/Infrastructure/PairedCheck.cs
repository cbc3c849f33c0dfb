using System.Diagnostics;
using System.Globalization;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// <c>--paired [runs]</c>: ours, the competitor and the floor read the same stream in turn, stream by stream, in one
/// process, so machine noise hits all three alike. Prints each one's 10th percentile, the ratios of the per-round
/// times (their median, and the ratio of the 10th percentiles) and the bytes one stream allocates; for ratios on a
/// shared machine, where the default job's times are mostly queueing.
/// </summary>
internal static class PairedCheck
{
    /// <summary>Runs the check on every in-memory streaming case (every <see cref="StreamingBenchmark"/>).</summary>
    public static async Task RunAsync(int runs)
    {
        foreach (var type in StreamingBenchmark.AllCases())
        {
            var benchmark = (StreamingBenchmark)Activator.CreateInstance(type)!;
            benchmark.Setup();
            await RoundsAsync(type.Name, runs, benchmark.OursAsync, benchmark.CompetitorOnlyAsync, benchmark.FloorOnlyAsync);
            if (benchmark.HasRawRow)
            {
                // The same rounds with raw representations on: "ours" is then that client.
                await RoundsAsync(type.Name + " (raw on)", runs, benchmark.OursRawAsync, benchmark.CompetitorOnlyAsync, benchmark.FloorOnlyAsync);
            }

            benchmark.Cleanup();
        }
    }

    private static async Task RoundsAsync(string name, int runs, Func<Task<int>> ours, Func<Task<int>> competitor, Func<Task<int>> floor)
    {
        for (var i = 0; i < 30; i++)
        {
            await ours();
            await competitor();
            await floor();
        }

        var a = new double[runs];
        var c = new double[runs];
        var f = new double[runs];
        var oursToFloor = new double[runs];
        var competitorToOurs = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await ours();
            var afterOurs = Stopwatch.GetTimestamp();
            await competitor();
            var afterCompetitor = Stopwatch.GetTimestamp();
            await floor();
            a[i] = Stopwatch.GetElapsedTime(start, afterOurs).TotalMicroseconds;
            c[i] = Stopwatch.GetElapsedTime(afterOurs, afterCompetitor).TotalMicroseconds;
            f[i] = Stopwatch.GetElapsedTime(afterCompetitor).TotalMicroseconds;
            oursToFloor[i] = a[i] / f[i];
            competitorToOurs[i] = c[i] / a[i];
        }

        var (oursBytes, competitorBytes, floorBytes) = (await AllocatedAsync(ours), await AllocatedAsync(competitor), await AllocatedAsync(floor));
        Array.Sort(a);
        Array.Sort(c);
        Array.Sort(f);
        Array.Sort(oursToFloor);
        Array.Sort(competitorToOurs);
        var p10 = runs / 10;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-30} p10 ours {a[p10],7:F0} competitor {c[p10],7:F0} floor {f[p10],7:F0} µs | ours/floor median {oursToFloor[runs / 2]:F2} p10s {a[p10] / f[p10]:F2} | competitor/ours median {competitorToOurs[runs / 2]:F2} p10s {c[p10] / a[p10]:F2} | KB ours {oursBytes / 1024.0:F1} competitor {competitorBytes / 1024.0:F1} floor {floorBytes / 1024.0:F1}"));
    }

    /// <summary>The bytes one stream allocates, on every thread (the process does nothing else meanwhile).</summary>
    private static async Task<long> AllocatedAsync(Func<Task<int>> read)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await read();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
