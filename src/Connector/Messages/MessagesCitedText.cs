using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>A streamed text block with citations, whose text the Messages mapper holds from its first citation until its stop.</summary>
/// <param name="index">The block's index.</param>
/// <param name="whole">Whether the held content will hold all of the block's text, and so can carry the block's JSON.</param>
/// <param name="fields">The block's fields the mapping does not use, as a JSON object, or <see langword="null"/>.</param>
internal sealed class MessagesCitedText(int index, bool whole, string? fields)
{
    /// <summary>Gets the block's index.</summary>
    public int Index { get; } = index;

    /// <summary>Gets the text held so far.</summary>
    public System.Text.StringBuilder Text { get; } = new();

    /// <summary>Gets the citation objects received so far.</summary>
    public List<JsonElement> Citations { get; } = [];

    /// <summary>Builds the block's content: its text with the citations, and its JSON when the content holds all of its text.</summary>
    public TextContent Complete()
    {
        var text = Text.ToString();
        var content = new TextContent(text) { Annotations = MessagesBlockCitations.Annotate(Citations, text) };
        return whole ? WireItems.Keep(content, MessagesBlockCitations.Block(fields, text, Citations), MessagesProtocol.DisplayName) : content;
    }
}
