using System.Diagnostics;
using System.Globalization;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// <c>--paired [runs]</c>: ours and the floor read the same stream alternately, stream by stream, in one process,
/// so machine noise hits both alike. Prints each side's min and 10th percentile and the ratios; for the
/// ours-to-floor ratio on a shared machine, where the default job's times are mostly queueing.
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
            await PairAsync(type.Name, runs, benchmark.OursAsync, benchmark.FloorOnlyAsync);
            benchmark.Cleanup();
        }
    }

    private static async Task PairAsync(string name, int runs, Func<Task<int>> ours, Func<Task<int>> floor)
    {
        for (var i = 0; i < 50; i++)
        {
            await ours();
            await floor();
        }

        var a = new double[runs];
        var b = new double[runs];
        var ratios = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await ours();
            var middle = Stopwatch.GetTimestamp();
            await floor();
            a[i] = Stopwatch.GetElapsedTime(start, middle).TotalMicroseconds;
            b[i] = Stopwatch.GetElapsedTime(middle).TotalMicroseconds;
            ratios[i] = a[i] / b[i];
        }

        Array.Sort(a);
        Array.Sort(b);
        Array.Sort(ratios);
        var p10 = runs / 10;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-32} ours min {a[0],7:F0} p10 {a[p10],7:F0} µs | floor min {b[0],7:F0} p10 {b[p10],7:F0} µs | ours/floor min {a[0] / b[0]:F2} p10 {a[p10] / b[p10]:F2} median pair {ratios[runs / 2]:F2}"));
    }
}
