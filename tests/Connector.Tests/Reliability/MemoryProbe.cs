using System.Runtime;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// Measures the managed heap around a piece of work: the live baseline before (after a full collection), the
/// peak seen while it runs (sampled every few milliseconds, garbage included) and the live heap after.
/// </summary>
/// <remarks>
/// While it measures, the collector runs in <see cref="GCLatencyMode.Batch"/> (no background collections): a
/// background collection lets the work go on allocating while it runs, so how much garbage piles up, and with it the
/// peak, would depend on how much CPU the collector gets on a loaded machine; blocking collections happen when the
/// allocation budgets say, however loaded the machine is.
/// </remarks>
internal sealed class MemoryProbe : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    private readonly GCLatencyMode _latencyMode;

    private MemoryProbe()
    {
        _latencyMode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        Baseline = GC.GetTotalMemory(forceFullCollection: true);
        _peak = Baseline;
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
    }

    /// <summary>Gets the live heap before the work, in bytes.</summary>
    public long Baseline { get; }

    /// <summary>Gets the largest heap size seen so far, in bytes.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    /// <summary>Gets how far the heap grew above the baseline at its peak, in bytes.</summary>
    public long PeakGrowth => Peak - Baseline;

    /// <summary>Starts measuring.</summary>
    public static MemoryProbe Start() => new();

    /// <summary>Stops sampling and returns the live heap now (after a full collection), in bytes.</summary>
    public long Settle()
    {
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        Sample();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Records the current heap size if it is the largest so far; call it from the work too, for a denser record.</summary>
    public void Sample()
    {
        var now = GC.GetTotalMemory(forceFullCollection: false);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        GCSettings.LatencyMode = _latencyMode;
    }
}
