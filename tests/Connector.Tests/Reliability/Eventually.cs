using System.Diagnostics;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>A bounded wait on an observable condition (not a sleep used as synchronisation): polls every few milliseconds up to a deadline.</summary>
internal static class Eventually
{
    /// <summary>
    /// Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="timeout"/>
    /// (30 s by default: only a hang guard, so a loaded machine that is slow to get there does not fail the wait).
    /// </summary>
    public static async Task HoldsAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"After {limit.TotalSeconds:0.#} s: {what()}");
            }

            await Task.Delay(5);
        }
    }
}
