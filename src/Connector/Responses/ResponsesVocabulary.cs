using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>The Responses words for why a response is incomplete and for the usage counts.</summary>
internal static class ResponsesVocabulary
{
    /// <summary>Gets the usage names: <c>input_tokens</c>, <c>output_tokens</c>, <c>total_tokens</c>, <c>input_tokens_details.cached_tokens</c>, <c>output_tokens_details.reasoning_tokens</c>.</summary>
    public static UsageFields Usage { get; } = new("input_tokens", "output_tokens", "total_tokens", "cached_tokens", "reasoning_tokens");

    /// <summary>Maps <c>incomplete_details.reason</c> (<c>max_output_tokens|content_filter</c>); any other is kept as it is, none is <see cref="ChatFinishReason.Length"/>.</summary>
    public static ChatFinishReason IncompleteReason(string? reason) => reason switch
    {
        "max_output_tokens" => ChatFinishReason.Length,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => FinishReasons.Other(reason) ?? ChatFinishReason.Length,
    };
}
