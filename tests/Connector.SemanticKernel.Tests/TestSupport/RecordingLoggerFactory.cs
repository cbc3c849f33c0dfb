using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every entry, at every level, as <c>{category}: {message}</c>.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Gets the entries written so far.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{category}: {formatter(state, exception)}");
    }
}
