using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>The Chat Completions words for a finish reason and the usage counts.</summary>
internal static class ChatCompletionsVocabulary
{
    /// <summary>Gets the usage names: <c>prompt_tokens</c>, <c>completion_tokens</c>, <c>total_tokens</c>, <c>prompt_tokens_details.cached_tokens</c>, <c>completion_tokens_details.reasoning_tokens</c>.</summary>
    public static UsageFields Usage { get; } = new("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens", "reasoning_tokens");

    /// <summary>Maps a choice's <c>finish_reason</c> (<c>stop|length|tool_calls|content_filter</c>, the older <c>function_call</c>); any other is kept as it is.</summary>
    public static ChatFinishReason? FinishReason(string? reason) => reason switch
    {
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => FinishReasons.Other(reason),
    };
}
