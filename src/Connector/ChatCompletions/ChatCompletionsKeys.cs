namespace YuHuan.Connector.ChatCompletions;

/// <summary>Keys under which the Chat Completions mapper keeps what its writer needs to send a message back as it came.</summary>
internal static class ChatCompletionsKeys
{
    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key, on a
    /// <see cref="Microsoft.Extensions.AI.TextReasoningContent"/>, of the <c>reasoning_details</c> entry it came from (its
    /// JSON, a string); the writer sends the entry back in <c>reasoning_details</c>, its text and signature (or encrypted
    /// <c>data</c>) taken from the content, so that pieces of one entry streamed apart and merged go back as one entry.
    /// </summary>
    public const string ReasoningDetail = "reasoning_detail";

    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key, on a
    /// <see cref="Microsoft.Extensions.AI.FunctionCallContent"/>, of the fields of its <c>tool_calls</c> entry that the
    /// mapping does not use (<c>extra_content</c>, for one), a JSON object in a string; the writer adds them back.
    /// </summary>
    public const string Fields = "chat_completions_fields";
}
