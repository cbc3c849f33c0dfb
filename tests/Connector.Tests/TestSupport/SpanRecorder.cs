using System.Collections.Concurrent;
using System.Diagnostics;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// Records the spans of one <see cref="ActivitySource"/> as they stop: their status, status description and tags, as
/// an OpenTelemetry exporter would receive them. Give each test its own source name, so tests running in parallel
/// do not see each other's spans.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder()
    {
        SourceName = "YuHuan.Connector.Tests." + Guid.NewGuid().ToString("N");
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets the source name to give <c>UseOpenTelemetry</c>.</summary>
    public string SourceName { get; }

    /// <summary>Gets the spans that stopped so far.</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>Gets everything a span exports as text: its status description, tags and events.</summary>
    public static string ExportedText(Activity span) =>
        string.Join(
            '\n',
            new[] { span.StatusDescription ?? string.Empty }
                .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))));

    public void Dispose() => _listener.Dispose();
}
