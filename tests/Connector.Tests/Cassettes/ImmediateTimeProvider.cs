using System.Collections.Concurrent;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>A clock whose timers fire as soon as they are made: it keeps the due time of each, so a test sees how long
/// a paced replay meant to wait without waiting at all.</summary>
internal sealed class ImmediateTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>Gets the due times of the timers made so far, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        callback(state);

        // A timer that never fires again: the one wait it stood for is over.
        return System.CreateTimer(static _ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
