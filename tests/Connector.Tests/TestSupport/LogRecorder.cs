using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// A logger factory whose loggers record every line: the formatted text and, for structured logging, each value the
/// line carries, as a log sink that stores fields separately would see them.
/// </summary>
internal sealed class LogRecorder : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    /// <summary>Gets the recorded lines, each with its structured values appended after <c> | </c>.</summary>
    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

    /// <summary>Gets everything recorded, as one text.</summary>
    public string AllText => string.Join('\n', _lines.Select(l => l.Text));

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
        _lines.Enqueue((logLevel, formatter(state, exception) + " | " + values + (exception is null ? string.Empty : " | " + exception)));
    }

    public void Dispose()
    {
    }
}
