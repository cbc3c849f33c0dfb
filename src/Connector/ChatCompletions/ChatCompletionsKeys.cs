namespace YuHuan.Connector.ChatCompletions;

/// <summary>Keys under which the Chat Completions mapper keeps what its writer needs to send a message back as it came.</summary>
internal static class ChatCompletionsKeys
{
    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key, on a
    /// <see cref="Microsoft.Extensions.AI.TextReasoningContent"/>, of the <c>reasoning_details</c> entries it stands for: a
    /// JSON array in a string on the first piece of a run that merging joins, an empty string on the others (see
    /// <see cref="ReasoningDetailsRun"/>); the writer sends the entries back in <c>reasoning_details</c>, verbatim.
    /// </summary>
    public const string ReasoningDetail = "reasoning_detail";

    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key, on a
    /// <see cref="Microsoft.Extensions.AI.FunctionCallContent"/>, of the fields of its <c>tool_calls</c> entry that the
    /// mapping does not use (<c>extra_content</c>, for one), a JSON object in a string; the writer adds them back.
    /// </summary>
    public const string Fields = "chat_completions_fields";
}
