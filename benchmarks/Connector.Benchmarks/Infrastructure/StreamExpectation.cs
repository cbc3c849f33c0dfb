using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>What a stream's bytes contain, as every correct client must report it.</summary>
internal sealed class StreamExpectation
{
    /// <summary>Creates the expectation of a text stream that ends with <c>stop</c>, whose every delta is answer text.</summary>
    public static StreamExpectation ForText(string text, ExpectedUsage usage) =>
        new() { Text = text, Usage = usage, FinishReason = ChatFinishReason.Stop, AllDeltas = text };

    /// <summary>Creates the expectation of a stream of <paramref name="calls"/> alone, which ends with <c>tool_calls</c>.</summary>
    public static StreamExpectation ForToolCalls(IReadOnlyList<ExpectedToolCall> calls, ExpectedUsage usage, string allDeltas) =>
        new() { Text = string.Empty, ToolCalls = calls, Usage = usage, FinishReason = ChatFinishReason.ToolCalls, AllDeltas = allDeltas };

    /// <summary>Gets the answer text, all deltas joined.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the reasoning text, all deltas joined (empty when the stream has none).</summary>
    public string Reasoning { get; init; } = string.Empty;

    /// <summary>Gets the complete tool calls, in order.</summary>
    public IReadOnlyList<ExpectedToolCall> ToolCalls { get; init; } = [];

    /// <summary>Gets the usage the stream reports once.</summary>
    public required ExpectedUsage Usage { get; init; }

    /// <summary>Gets the finish reason.</summary>
    public required ChatFinishReason FinishReason { get; init; }

    /// <summary>Gets the concatenation of every delta string in the stream (text and argument pieces), which is
    /// what the floor extracts.</summary>
    public required string AllDeltas { get; init; }
}

/// <summary>A complete tool call.</summary>
/// <param name="CallId">The call id.</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments, a JSON object.</param>
internal sealed record ExpectedToolCall(string CallId, string Name, string ArgumentsJson);

/// <summary>Token counts.</summary>
/// <param name="Input">Input (prompt) tokens.</param>
/// <param name="Output">Output (completion) tokens.</param>
/// <param name="Total">Total tokens.</param>
/// <param name="CachedInput">Cached input tokens.</param>
/// <param name="Reasoning">Reasoning tokens.</param>
internal sealed record ExpectedUsage(long Input, long Output, long Total, long CachedInput, long Reasoning);
