// Reading items, content parts and item events from their JSON, and the fields an item keeps on its first piece.

using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    /// <summary>Reads an output item object (the reader at its start) into <paramref name="fields"/>.</summary>
    private void ReadItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref ItemFields fields, bool wantText, bool wantReasoning)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                fields.Kind = ItemKindOf(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                fields.IdStart = StringStart(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadPart(ref reader, data, ref fields, wantText, wantReasoning, summary: false);
                }
            }
            else if (reader.ValueTextEquals("summary"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadPart(ref reader, data, ref fields, wantText, wantReasoning, summary: true);
                }
            }
            else if (reader.ValueTextEquals("call_id"u8))
            {
                reader.Read();
                fields.CallId = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                fields.Name = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                JsonReading.TryReadArguments(ref reader, data, out fields.Arguments, out fields.ArgumentsAreObject);
            }
            else if (reader.ValueTextEquals("encrypted_content"u8))
            {
                reader.Read();

                // Other items (compaction) carry encrypted content too: only a reasoning item's is read into text.
                if (fields.Kind is ResponsesItemKind.Reasoning or ResponsesItemKind.Unknown)
                {
                    fields.EncryptedContent = JsonReading.NonEmptyString(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                fields.InProgress = StatusOf(ref reader) == Status.InProgress;
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                // A field the mapping does not use (a message's phase, fields nobody announced): it goes back with the item.
                fields.Unused.Take(ref reader);
            }
        }

        if (fields.Kind != ResponsesItemKind.Reasoning)
        {
            fields.EncryptedContent = null;
        }
    }

    /// <summary>Reads one content or summary part (the reader at its start): text, reasoning or a refusal, whatever the order of its fields.</summary>
    private void ReadPart(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref ItemFields fields, bool wantText, bool wantReasoning, bool summary)
    {
        var kind = summary ? PartKind.Reasoning : PartKind.Unknown;
        var textStart = -1;
        List<AIAnnotation>? annotations = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                var type = PartKindOf(ref reader);
                if (!summary)
                {
                    kind = type;
                }
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                textStart = StringStart(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                fields.HadRefusal = true;
                fields.Refusal = JsonReading.NonEmptyString(ref reader) ?? fields.Refusal;
            }
            else if (!summary && reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var array = data[start..(int)reader.BytesConsumed];
                if (array.IndexOf((byte)'{') >= 0)
                {
                    annotations = ResponsesAnnotations.ReadArray(array);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (textStart < 0)
        {
            return;
        }

        // A part without a type holds answer text in a message and reasoning in a reasoning item.
        if (kind == PartKind.Unknown)
        {
            kind = fields.Kind == ResponsesItemKind.Reasoning ? PartKind.Reasoning : PartKind.Text;
        }

        if (kind == PartKind.Text && wantText && StringAt(data, textStart) is { } text)
        {
            (fields.Texts ??= new(1)).Add(new TextContent(text) { Annotations = annotations });
        }
        else if (kind == PartKind.Text && annotations is not null)
        {
            (fields.Annotations ??= []).AddRange(annotations);
        }
        else if (kind == PartKind.Reasoning && wantReasoning && StringAt(data, textStart) is { } reasoning)
        {
            // Raw reasoning ("content") goes back as content, a summary as summary: the first piece says which.
            fields.RawReasoning |= fields.Texts is null && !summary;
            (fields.Texts ??= new(1)).Add(new TextReasoningContent(reasoning));
        }
    }

    /// <summary>
    /// Names the top-level field of an item event at the reader's property name. The hot path of a stream: every delta's
    /// fields pass here, so a name is told by its length first and compared at most twice; the fields a delta carries but
    /// the mapper never uses (<c>type</c>, <c>content_index</c>, <c>logprobs</c>, <c>obfuscation</c>) fall out after one
    /// or two short comparisons, most by their length alone.
    /// </summary>
    private static ItemEventField ItemEventFieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return EscapedItemEventFieldOf(ref reader);
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            4 => name.SequenceEqual("name"u8) ? ItemEventField.Name
                : name.SequenceEqual("part"u8) ? ItemEventField.Part
                : ItemEventField.Other,
            5 => name.SequenceEqual("delta"u8) ? ItemEventField.Delta : ItemEventField.Other,
            7 => name.SequenceEqual("item_id"u8) ? ItemEventField.ItemId
                : name.SequenceEqual("refusal"u8) ? ItemEventField.Refusal
                : ItemEventField.Other,
            9 => name.SequenceEqual("arguments"u8) ? ItemEventField.Arguments : ItemEventField.Other,
            12 => name.SequenceEqual("output_index"u8) ? ItemEventField.OutputIndex : ItemEventField.Other,
            15 => name.SequenceEqual("sequence_number"u8) ? ItemEventField.SequenceNumber : ItemEventField.Other,
            _ => ItemEventField.Other,
        };
    }

    /// <summary>Names a property name written with escapes (never seen from the API, but valid JSON): compared unescaped.</summary>
    private static ItemEventField EscapedItemEventFieldOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("delta"u8) ? ItemEventField.Delta
        : reader.ValueTextEquals("output_index"u8) ? ItemEventField.OutputIndex
        : reader.ValueTextEquals("sequence_number"u8) ? ItemEventField.SequenceNumber
        : reader.ValueTextEquals("item_id"u8) ? ItemEventField.ItemId
        : reader.ValueTextEquals("arguments"u8) ? ItemEventField.Arguments
        : reader.ValueTextEquals("name"u8) ? ItemEventField.Name
        : reader.ValueTextEquals("refusal"u8) ? ItemEventField.Refusal
        : reader.ValueTextEquals("part"u8) ? ItemEventField.Part
        : ItemEventField.Other;

    /// <summary>Reads the top-level fields of an item event (a delta, <c>.done</c> of arguments, a refusal or a content part).</summary>
    private ItemEvent ReadItemEvent(ReadOnlySpan<byte> payload, bool deltaIsText)
    {
        var reader = ObjectReader(payload);
        var e = new ItemEvent { Index = -1, ItemIdStart = -1 };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            switch (ItemEventFieldOf(ref reader))
            {
                case ItemEventField.Delta:
                    reader.Read();
                    if (deltaIsText)
                    {
                        e.Text = JsonReading.TextOrNull(ref reader);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        e.Raw = payload.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;

                case ItemEventField.OutputIndex:
                    reader.Read();
                    e.Index = JsonReading.Index(ref reader, Name, "output_index");
                    break;

                case ItemEventField.SequenceNumber when _background:
                    // Only a background response's continuation token uses the sequence: otherwise it is skipped unread.
                    reader.Read();
                    ReadSequenceNumber(ref reader);
                    break;

                case ItemEventField.ItemId:
                    reader.Read();
                    e.ItemIdStart = StringStart(ref reader);
                    break;

                case ItemEventField.Arguments:
                    reader.Read();
                    JsonReading.TryReadArguments(ref reader, payload, out e.Arguments, out e.ArgumentsAreObject);
                    break;

                case ItemEventField.Name:
                    reader.Read();
                    e.Name = JsonReading.NonEmptyString(ref reader);
                    break;

                case ItemEventField.Refusal:
                    reader.Read();
                    e.HadRefusal = true;
                    e.Refusal = JsonReading.NonEmptyString(ref reader);
                    break;

                case ItemEventField.Part:
                    reader.Read();
                    ReadPartRefusal(ref reader, ref e);
                    break;

                default:
                    // Skip() from a property name reads its value first: the value, object, array or scalar, is passed over.
                    reader.Skip();
                    break;
            }
        }

        return e;
    }

    /// <summary>Reads the <c>part</c> of a content-part event (the reader at its value): only a refusal part has a <c>refusal</c> field.</summary>
    private static void ReadPartRefusal(ref Utf8JsonReader reader, ref ItemEvent e)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isRefusal = reader.ValueTextEquals("refusal"u8);
            reader.Read();
            if (isRefusal)
            {
                e.HadRefusal = true;
                e.Refusal = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>The unused fields of a message, reasoning or function-call item; an item kept as it came carries its fields in its JSON.</summary>
    private static string? OwnFields(ref ItemFields fields, ReadOnlySpan<byte> data) =>
        fields.Kind is ResponsesItemKind.Message or ResponsesItemKind.Reasoning or ResponsesItemKind.FunctionCall ? fields.Unused.ToJson(data) : null;

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

    /// <summary>The top-level fields of an item event, as far as the mapper uses them.</summary>
    private ref struct ItemEvent
    {
        public int Index;
        public int ItemIdStart;
        public string? Text;
        public ReadOnlySpan<byte> Raw;
        public ReadOnlySpan<byte> Arguments;
        public bool ArgumentsAreObject;
        public string? Name;
        public string? Refusal;
        public bool HadRefusal;
    }

    /// <summary>The fields of one output item, as far as the mapper uses them.</summary>
    private ref struct ItemFields
    {
        public ResponsesItemKind Kind;
        public int IdStart;
        public string? CallId;
        public string? Name;
        public ReadOnlySpan<byte> Arguments;
        public bool ArgumentsAreObject;
        public string? EncryptedContent;
        public string? Refusal;
        public bool HadRefusal;
        public bool InProgress;
        public List<AIContent>? Texts;
        public List<AIAnnotation>? Annotations;
        public bool RawReasoning;
        public UnusedFields Unused;
    }
}
