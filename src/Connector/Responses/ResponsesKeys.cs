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
}
