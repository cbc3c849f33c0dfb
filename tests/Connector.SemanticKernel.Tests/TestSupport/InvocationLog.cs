using System.Collections.Concurrent;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>A shared, ordered log the recording filters write to.</summary>
public sealed class InvocationLog
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Gets the entries written so far, in order.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    /// <summary>Appends an entry.</summary>
    public void Add(string entry) => _entries.Enqueue(entry);
}
