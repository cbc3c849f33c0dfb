using Microsoft.Extensions.AI;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>
/// Splits streamed text into reasoning and text at <c>&lt;think&gt;</c> and <c>&lt;/think&gt;</c> tags, for models
/// whose serving engine leaves the reasoning inline. A tag split across pieces is recognized: a piece's tail that
/// could be the start of a tag is held back until the next piece (or the end) decides.
/// </summary>
internal sealed class ThinkTagSplitter
{
    private const string OpenTag = "<think>";
    private const string CloseTag = "</think>";

    private string _held = string.Empty;
    private bool _inThink;

    /// <summary>Splits one piece of text into <paramref name="contents"/>.</summary>
    public void Split(string piece, List<AIContent> contents)
    {
        var text = _held.Length == 0 ? piece : _held + piece;
        _held = string.Empty;
        var start = 0;
        while (start < text.Length)
        {
            var tag = _inThink ? CloseTag : OpenTag;
            var at = text.IndexOf(tag, start, StringComparison.Ordinal);
            if (at >= 0)
            {
                Emit(text[start..at], contents);
                _inThink = !_inThink;
                start = at + tag.Length;
                continue;
            }

            var keep = PartialTagLength(text, start, tag);
            Emit(text[start..(text.Length - keep)], contents);
            _held = text[(text.Length - keep)..];
            return;
        }
    }

    /// <summary>Emits text held back at the end of the stream.</summary>
    public void Flush(List<AIContent> contents)
    {
        Emit(_held, contents);
        _held = string.Empty;
    }

    /// <summary>Gets a value indicating whether text is held back.</summary>
    public bool HasHeld => _held.Length > 0;

    private static int PartialTagLength(string text, int start, string tag)
    {
        for (var length = Math.Min(tag.Length - 1, text.Length - start); length > 0; length--)
        {
            if (string.CompareOrdinal(text, text.Length - length, tag, 0, length) == 0)
            {
                return length;
            }
        }

        return 0;
    }

    private void Emit(string text, List<AIContent> contents)
    {
        if (text.Length == 0)
        {
            return;
        }

        contents.Add(_inThink ? new TextReasoningContent(text) : new TextContent(text));
    }
}
