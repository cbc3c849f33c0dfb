using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>Maps the protocols' finish and stop reasons onto <see cref="ChatFinishReason"/>.</summary>
internal static class FinishReasons
{
    /// <summary>Maps a reason; an unknown one is kept as it is, an empty or blank one means none.</summary>
    public static ChatFinishReason? Map(string? reason) => reason switch
    {
        // ChatFinishReason rejects blank values: a server's " " must not escape as an ArgumentException.
        _ when string.IsNullOrWhiteSpace(reason) => null,
        "stop" or "end_turn" or "stop_sequence" or "completed" => ChatFinishReason.Stop,
        "length" or "max_tokens" or "max_output_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_calls" or "function_call" or "tool_use" => ChatFinishReason.ToolCalls,
        "content_filter" or "refusal" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };
}
