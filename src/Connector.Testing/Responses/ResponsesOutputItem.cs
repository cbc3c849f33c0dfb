namespace YuHuan.Connector.Testing;

/// <summary>
/// One output item of a Responses rendering, planned before any event is written so the stream, the terminal event
/// and the complete response object carry the same ids.
/// </summary>
/// <param name="Kind">The kind of the item.</param>
/// <param name="Id">The item id (<c>msg_item_emu_1</c>, <c>rs_emu_1</c>, <c>fc_emu_1</c>, <c>ws_emu_1</c>, …); empty for padding
/// and a raw item, which carries its own.</param>
/// <param name="Parts">The scripted parts the item is made of: one or more text and refusal parts for a message, one part otherwise.</param>
/// <param name="CallId">The call id of a function call, scripted or made up; the container id of a code interpreter call.</param>
internal sealed record ResponsesOutputItem(ResponsesItemKind Kind, string Id, IReadOnlyList<ReplyPart> Parts, string? CallId = null)
{
    /// <summary>Gets the one part of any item but a message.</summary>
    public ReplyPart Part => Parts[0];

    /// <summary>Gets the phase of a message item, or <see langword="null"/>.</summary>
    public string? Phase => Kind == ResponsesItemKind.Message ? Parts[0].Phase : null;
}
