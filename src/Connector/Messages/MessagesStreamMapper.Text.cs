// Text and thinking blocks: answer text (held from its first citation to its stop), reasoning, signatures and redacted
// thinking, and the unused fields a block's first content carries.
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesStreamMapper
{
    /// <summary>Puts the open block's unused fields on its first content (whose properties survive merging), once.</summary>
    private static T GiveFields<T>(MessagesOpenBlock? block, T content)
        where T : AIContent
    {
        if (block?.Fields is { } fields)
        {
            block.Fields = null;
            WireFields.Keep(content, MessagesKeys.Fields, fields);
        }

        return content;
    }

    private static TextReasoningContent Redacted(string data) => new(string.Empty)
    {
        ProtectedData = data,
        AdditionalProperties = new() { [ReasoningMarkers.Redacted] = true },
    };

    /// <summary>A text block's start: its text, if any, or (citations in the start) the block held whole, so it goes back with them.</summary>
    private void StartText(int index, MessagesOpenBlock open, ref BlockFields block, ref List<AIContent>? contents)
    {
        if (Response.JoinReasoning(block.PartsReasoning) is { } partsReasoning)
        {
            (contents ??= new(1)).Add(new TextReasoningContent(partsReasoning));
        }

        if (!block.Citations.IsEmpty)
        {
            _held = new MessagesCitedText(index, whole: true, block.Fields);
            _held.Citations.AddRange(ReadCitations(block.Citations));
            if (block.Text is not null)
            {
                _held.Text.Append(block.Text);
            }
        }
        else if (Response.JoinText(block.Text) is { } text)
        {
            _lastTextIndex = index;
            (contents ??= new(1)).Add(GiveFields(open, new TextContent(text)));
        }
    }

    /// <summary>A thinking block's start: its text, if any; a signature given at the start goes out at the block's end, unless a <c>signature_delta</c> replaces it.</summary>
    private void StartThinking(MessagesOpenBlock open, ref BlockFields block, ref List<AIContent>? contents)
    {
        if (Response.JoinReasoning(block.Thinking) is { } reasoning)
        {
            (contents ??= new(1)).Add(GiveFields(open, new TextReasoningContent(reasoning)));
        }

        open.Signature = block.Signature;
    }

    /// <summary>The reasoning of a delta (<c>thinking_delta</c>, thinking parts of a content-part array) and its signature (<c>signature_delta</c>).</summary>
    private void ThinkingDelta(MessagesOpenBlock? open, ref BlockDelta delta, ref List<AIContent>? contents)
    {
        if (Response.JoinReasoning(ContentParts.Concat(delta.Thinking, delta.PartsReasoning)) is { } reasoning)
        {
            (contents ??= new(1)).Add(GiveFields(open, new TextReasoningContent(reasoning)));
        }

        if (delta.Signature is not null)
        {
            if (open is not null)
            {
                open.Signature = null;
            }

            (contents ??= new(1)).Add(GiveFields(open, new TextReasoningContent(string.Empty) { ProtectedData = delta.Signature }));
        }
    }

    /// <summary>A <c>text_delta</c>, or a <c>citations_delta</c> of a text block.</summary>
    private void TextDelta(int index, MessagesOpenBlock? open, ref BlockDelta delta, ref List<AIContent>? contents)
    {
        if (delta.Text is null)
        {
            HoldCitation(index, delta.Citation);
        }
        else if (_held is { } held && held.Index == index)
        {
            held.Text.Append(delta.Text);
        }
        else if (Response.JoinText(delta.Text) is { } answer)
        {
            _lastTextIndex = index;
            (contents ??= new(1)).Add(GiveFields(open, new TextContent(answer)));
        }
    }

    /// <summary>Takes a citation of a text block: from the first one, the block's text is held until its stop.</summary>
    private void HoldCitation(int index, ReadOnlySpan<byte> citation)
    {
        if (_held is null || _held.Index != index)
        {
            if (!_blocks.TryGetValue(index, out var block) || block.Kind != MessagesBlockKind.Text)
            {
                return;
            }

            // Text of the block reported before its first citation cannot be taken back: the block then goes back without its JSON.
            _held = new MessagesCitedText(index, whole: _lastTextIndex != index, block.Fields);
        }

        _held.Citations.Add(JsonElement.Parse(citation));
    }

    /// <summary>A text block's stop: its held text, with the citations, when it had any.</summary>
    private AIContent? StopText(int index)
    {
        if (_held is not { } held || held.Index != index)
        {
            return null;
        }

        _held = null;
        return held.Complete();
    }

    /// <summary>A thinking block's stop: the signature its start gave, when no <c>signature_delta</c> replaced it.</summary>
    private static AIContent? StopThinking(MessagesOpenBlock block) =>
        block.Signature is { } signature ? GiveFields(block, new TextReasoningContent(string.Empty) { ProtectedData = signature }) : null;
}
