namespace YuHuan.Connector.Responses;

/// <summary>Keys under which the Responses mapper keeps what its writer needs to send an item back.</summary>
internal static class ResponsesKeys
{
    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key of the id of the reasoning item a
    /// <see cref="Microsoft.Extensions.AI.TextReasoningContent"/> came from (<c>rs_…</c>). The mapper sets it on the first
    /// piece of each reasoning item (whose properties survive merging) and on the piece carrying the encrypted content;
    /// the writer sends a reasoning item back with this id.
    /// </summary>
    public const string ItemId = "item_id";

    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key of the fields of an item that the
    /// mapping does not use (a message's <c>phase</c>, fields nobody announced), a JSON object in a string, on the item's
    /// first text or reasoning piece or on its <see cref="Microsoft.Extensions.AI.FunctionCallContent"/>; the writer adds
    /// them back to the item it writes.
    /// </summary>
    public const string Fields = "responses_fields";

    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> key, on the first piece of a reasoning
    /// item, of where its text came from: <see cref="RawReasoning"/> for raw reasoning (<c>content</c> of
    /// <c>reasoning_text</c> parts), absent for a summary.
    /// </summary>
    public const string ReasoningPart = "reasoning_part";

    /// <summary>The <see cref="ReasoningPart"/> value of raw reasoning, which goes back as <c>content</c>.</summary>
    public const string RawReasoning = "content";

    /// <summary>
    /// The <see cref="Microsoft.Extensions.AI.AIAnnotation.AdditionalProperties"/> key of an <c>output_text</c>
    /// annotation's JSON (a string), which the writer sends back in the part's <c>annotations</c>.
    /// </summary>
    public const string Annotation = "responses_annotation";
}
