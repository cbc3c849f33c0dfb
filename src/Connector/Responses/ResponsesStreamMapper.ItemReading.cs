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
                var array = JsonReading.RawValue(ref reader, data);
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
    /// Reads the top-level fields of an item event (a delta, a <c>.done</c>, a refusal, a content part) that say which item
    /// it is about, <c>output_index</c> and <c>item_id</c>, into <paramref name="at"/>, and stops at each other field, the
    /// reader at its name, for the event's handler to read or skip.
    /// </summary>
    /// <returns><see langword="true"/> at a field for the handler; <see langword="false"/> at the end of the event.</returns>
    private bool NextItemEventField(ref Utf8JsonReader reader, ref ItemRef at)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The hot path of a stream: every field of every delta passes here, so a name is told by its length first
            // (one written with escapes, never seen from the API, is compared unescaped).
            var length = reader.ValueIsEscaped ? -1 : reader.ValueSpan.Length;
            if (length is 12 or -1 && reader.ValueTextEquals("output_index"u8))
            {
                reader.Read();
                at.Index = JsonReading.Index(ref reader, Protocol, "output_index");
            }
            else if (length is 7 or -1 && reader.ValueTextEquals("item_id"u8))
            {
                reader.Read();
                at.IdStart = StringStart(ref reader);
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The unused fields of a message, reasoning or function-call item; an item kept as it came carries its fields in its JSON.</summary>
    private static string? OwnFields(ref ItemFields fields, ReadOnlySpan<byte> data) =>
        fields.Kind is ResponsesItemKind.Message or ResponsesItemKind.Reasoning or ResponsesItemKind.FunctionCall ? fields.Unused.ToJson(data) : null;

    /// <summary>Which item an event is about: its <c>output_index</c> (-1 when it has none) and where its <c>item_id</c> starts in the event (-1 when it has none).</summary>
    private struct ItemRef
    {
        public int Index;
        public int IdStart;

        public static ItemRef None => new() { Index = -1, IdStart = -1 };
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
    private enum PartKind
    {
        Unknown,
        Text,
        Reasoning,
        Other,
    }

    private static Status StatusOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return Status.None;
        }

        return reader.ValueTextEquals("completed"u8) ? Status.Completed
            : reader.ValueTextEquals("incomplete"u8) ? Status.Incomplete
            : reader.ValueTextEquals("in_progress"u8) || reader.ValueTextEquals("queued"u8) ? Status.InProgress
            : reader.ValueTextEquals("failed"u8) ? Status.Failed
            : reader.ValueTextEquals("cancelled"u8) ? Status.Cancelled
            : Status.None;
    }

    private static ResponsesItemKind ItemKindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return ResponsesItemKind.Unknown;
        }

        return reader.ValueTextEquals("message"u8) ? ResponsesItemKind.Message
            : reader.ValueTextEquals("reasoning"u8) ? ResponsesItemKind.Reasoning
            : reader.ValueTextEquals("function_call"u8) ? ResponsesItemKind.FunctionCall
            : ResponsesItemKind.Other;
    }

    private static PartKind PartKindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return PartKind.Unknown;
        }

        return reader.ValueTextEquals("output_text"u8) || reader.ValueTextEquals("text"u8) ? PartKind.Text
            : reader.ValueTextEquals("reasoning_text"u8) || reader.ValueTextEquals("summary_text"u8) ? PartKind.Reasoning
            : PartKind.Other;
    }

    /// <summary>The start of the string token at the reader's position, or -1 for any other value (which is skipped).</summary>
    private static int StringStart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
        {
            return (int)reader.TokenStartIndex;
        }

        reader.Skip();
        return -1;
    }

    /// <summary>Reads the string token that starts at <paramref name="start"/> of <paramref name="data"/> (see <see cref="StringStart"/>).</summary>
    private static string? StringAt(ReadOnlySpan<byte> data, int start)
    {
        if (start < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(data[start..]);
        reader.Read();
        return JsonReading.NonEmptyString(ref reader);
    }
}
