namespace YuHuan.Connector.Testing;

/// <summary>Token counts a scripted reply reports.</summary>
/// <param name="InputTokens">Prompt (input) tokens in total, cached and cache-creation tokens included.</param>
/// <param name="OutputTokens">Completion (output) tokens, reasoning included.</param>
/// <param name="CachedInputTokens">Input tokens read from the prompt cache.</param>
/// <param name="ReasoningTokens">Output tokens spent on reasoning.</param>
/// <param name="CacheCreationInputTokens">Input tokens written to the prompt cache.</param>
internal sealed record ReplyUsage(int InputTokens, int OutputTokens, int CachedInputTokens, int ReasoningTokens, int CacheCreationInputTokens)
{
    /// <summary>Gets the sum of input and output tokens.</summary>
    public int TotalTokens => InputTokens + OutputTokens;
}
