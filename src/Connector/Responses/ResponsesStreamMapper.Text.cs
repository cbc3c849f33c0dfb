// Message and reasoning items: text, reasoning and refusal deltas, a refusal done, what a done item adds to them, and the
// item id and unused fields their first piece carries.

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    private const string RefusalCode = "Refusal";

    private ChatResponseUpdate? OnTextDelta(ReadOnlySpan<byte> payload)
    {
        var text = ReadTextDelta(payload, out var at);
        var item = ItemAt(at, payload);
        if (Response.JoinText(text) is not { } joined)
        {
            return null;
        }

        item.GotText = true;
        item.Text.Add(joined);
        return ItemUpdate(item, [GiveFields(item, new TextContent(joined))]);
    }

    private ChatResponseUpdate? OnReasoningDelta(ReadOnlySpan<byte> payload, bool raw)
    {
        var text = ReadTextDelta(payload, out var at);
        var item = ItemAt(at, payload);
        if (Response.JoinReasoning(text) is not { } joined)
        {
            return null;
        }

        item.GotReasoning = true;
        item.Text.Add(joined);
        var piece = new TextReasoningContent(joined);
        MarkFirstReasoning(item, piece, raw);
        return ItemUpdate(item, [piece]);
    }

    private ChatResponseUpdate? OnRefusalDelta(ReadOnlySpan<byte> payload)
    {
        var text = ReadTextDelta(payload, out var at);
        var item = ItemAt(at, payload);
        var refusal = item.Refusal ??= new StringBuilder();
        _refusalPending = true;
        if (text is null)
        {
            return null;
        }

        ResponseLimits.AppendRefusal(refusal, text);
        return null;
    }

    /// <summary><c>response.refusal.done</c> (its <c>refusal</c>), or a <c>response.content_part.done</c> whose <c>part</c> may be a refusal.</summary>
    private ChatResponseUpdate? OnRefusalDone(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var at = ItemRef.None;
        string? refusal = null;
        var hadRefusal = false;
        while (NextItemEventField(ref reader, ref at))
        {
            if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                hadRefusal = true;
                refusal = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("part"u8))
            {
                reader.Read();
                ReadPartRefusal(ref reader, ref refusal, ref hadRefusal);
            }
            else
            {
                reader.Skip();
            }
        }

        if (refusal is null && !hadRefusal)
        {
            return null;
        }

        var item = ItemAt(at, payload);
        List<AIContent>? contents = null;
        ReportRefusal(item, refusal, ref contents);
        return contents is null ? null : ItemUpdate(item, contents);
    }

    /// <summary>Reads a text delta (<c>output_text</c>, reasoning, refusal): the item it is about and its <c>delta</c> (a string, or null).</summary>
    private string? ReadTextDelta(ReadOnlySpan<byte> payload, out ItemRef at)
    {
        var reader = ObjectReader(payload);
        at = ItemRef.None;
        string? text = null;
        while (NextItemEventField(ref reader, ref at))
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                text = JsonReading.TextOrNull(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return text;
    }

    /// <summary>Reads the <c>part</c> of a content-part event (the reader at its value): only a refusal part has a <c>refusal</c> field.</summary>
    private static void ReadPartRefusal(ref Utf8JsonReader reader, ref string? refusal, ref bool hadRefusal)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (JsonReading.SeekField(ref reader, "refusal"u8))
        {
            hadRefusal = true;
            refusal = JsonReading.NonEmptyString(ref reader);
        }
    }

    /// <summary>A done message item: its text and refusal nobody got from deltas, and annotations no event delivered.</summary>
    private void CompleteMessage(ResponsesOutputItem item, ref ItemFields fields, bool fullySeen, ref List<AIContent>? contents)
    {
        if (fields.Texts is { } texts)
        {
            foreach (var piece in texts)
            {
                if (piece is TextContent text)
                {
                    item.Text.Add(text.Text);
                    (contents ??= new(texts.Count)).Add(GiveFields(item, text));
                }
            }
        }

        if (fields.Annotations is { } annotations && _annotated?.Contains(item.Index) != true)
        {
            // Text that went out from deltas, its annotations not streamed: they join it on an empty text.
            (contents ??= new(1)).Add(new TextContent(string.Empty) { Annotations = annotations });
        }

        // An item this mapper never saw added, with no refusal pieces either: its refusal went out before.
        if ((fields.Refusal is not null || fields.HadRefusal || item.Refusal is not null) && (fullySeen || item.Refusal is not null))
        {
            ReportRefusal(item, fields.Refusal, ref contents);
        }
    }

    /// <summary>
    /// A done reasoning item: its reasoning nobody got from deltas, and its <c>encrypted_content</c> ("absent or empty at
    /// <c>output_item.added</c>") as the <see cref="TextReasoningContent.ProtectedData"/> of an empty last piece.
    /// </summary>
    private static void CompleteReasoning(ResponsesOutputItem item, ref ItemFields fields, ref List<AIContent>? contents)
    {
        if (fields.Texts is { } reasoning)
        {
            foreach (var piece in reasoning)
            {
                if (piece is TextReasoningContent r)
                {
                    item.Text.Add(r.Text);
                    MarkFirstReasoning(item, r, fields.RawReasoning);
                    (contents ??= new(reasoning.Count + 1)).Add(r);
                }
            }
        }

        if (fields.EncryptedContent is { } encrypted)
        {
            var last = new TextReasoningContent(string.Empty) { ProtectedData = encrypted };
            if (item.ReasoningStarted)
            {
                last.AdditionalProperties = ItemIdProperties(item);
            }
            else
            {
                MarkFirstReasoning(item, last, fields.RawReasoning);
            }

            (contents ??= new(1)).Add(last);
        }
    }

    private void ReportRefusal(ResponsesOutputItem item, string? complete, ref List<AIContent>? contents)
    {
        if (item.RefusalReported)
        {
            return;
        }

        // The complete text of a done event wins over the pieces, of which a resumed stream may have seen only the tail.
        var text = complete ?? item.Refusal?.ToString() ?? string.Empty;
        item.RefusalReported = true;
        item.Refusal = null;
        _refused = true;
        (contents ??= new(1)).Add(new ErrorContent(text) { ErrorCode = RefusalCode });
    }

    /// <summary>Marks the first reasoning piece of an item: its id, its unused fields, and whether it is raw reasoning (<c>content</c>) rather than a summary.</summary>
    private static void MarkFirstReasoning(ResponsesOutputItem item, TextReasoningContent piece, bool raw)
    {
        if (item.ReasoningStarted)
        {
            return;
        }

        item.ReasoningStarted = true;
        piece.AdditionalProperties = ItemIdProperties(item);
        if (raw)
        {
            (piece.AdditionalProperties ??= [])[ResponsesKeys.ReasoningPart] = ResponsesKeys.RawReasoning;
        }

        GiveFields(item, piece);
    }

    /// <summary>Puts the item's unused fields on its first text or reasoning piece (whose properties survive merging), once.</summary>
    private static T GiveFields<T>(ResponsesOutputItem item, T piece)
        where T : AIContent
    {
        if (!item.FieldsGiven && item.Fields is { } fields)
        {
            item.FieldsGiven = true;
            WireFields.Keep(piece, ResponsesKeys.Fields, fields);
        }

        return piece;
    }

    private static AdditionalPropertiesDictionary? ItemIdProperties(ResponsesOutputItem item) =>
        item.Id is { } id ? new() { [ResponsesKeys.ItemId] = id } : null;
}
