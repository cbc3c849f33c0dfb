using System.Diagnostics;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>A bounded wait on an observable condition (not a sleep used as synchronisation): polls every few milliseconds up to a deadline.</summary>
internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="timeout"/> (5 s by default).</summary>
    public static async Task HoldsAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(5);
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
