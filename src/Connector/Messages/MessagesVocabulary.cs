using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>The Messages words for a stop reason and the usage counts.</summary>
internal static class MessagesVocabulary
{
    /// <summary>Gets the usage names: <c>input_tokens</c>, <c>output_tokens</c>, <c>cache_read_input_tokens</c> (no total, no reasoning count).</summary>
    public static UsageFields Usage { get; } = new("input_tokens", "output_tokens", Total: null, "cache_read_input_tokens", Reasoning: null);

    /// <summary>Maps a <c>stop_reason</c> (<c>end_turn</c>, <c>stop_sequence</c>, <c>max_tokens</c>, <c>model_context_window_exceeded</c>, <c>tool_use</c>, <c>refusal</c>); any other (<c>pause_turn</c>) is kept as it is.</summary>
    public static ChatFinishReason? StopReason(string? reason) => reason switch
    {
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,
        _ => FinishReasons.Other(reason),
    };
}
