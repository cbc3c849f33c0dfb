namespace YuHuan.Connector.Messages;

/// <summary>Keys under which the Messages mapper keeps what its writer needs to send a block back as it came.</summary>
internal static class MessagesKeys
{
    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key of the fields of a <c>text</c>,
    /// <c>thinking</c>, <c>redacted_thinking</c> or <c>tool_use</c> block that the mapping does not use (a
    /// <c>tool_use</c> block's <c>caller</c>, fields nobody announced), a JSON object in a string, on the block's content
    /// (a thinking block's first piece); the writer adds them back to the block.
    /// </summary>
    public const string Fields = "messages_fields";
}
