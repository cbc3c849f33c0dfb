// Output items: added and done, message and reasoning items, text, reasoning and refusal deltas, and the updates they become.

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

        if ((long)refusal.Length + text.Length >= ResponseLimits.MaxResponseBytes)
        {
            throw ClientErrors.TooLarge("The refusal of the gateway's response (characters)", ResponseLimits.MaxResponseBytes);
        }

        refusal.Append(text);
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

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isRefusal = reader.ValueTextEquals("refusal"u8);
            reader.Read();
            if (isRefusal)
            {
                hadRefusal = true;
                refusal = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private ChatResponseUpdate? OnItemAdded(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        var itemStart = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("output_index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Protocol, "output_index");
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                reader.Read();
                itemStart = reader.TokenType == JsonTokenType.StartObject ? (int)reader.TokenStartIndex : -1;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (itemStart < 0)
        {
            return null;
        }

        // Positions in the item are counted from its start.
        var itemData = payload[itemStart..];
        var itemReader = new Utf8JsonReader(itemData);
        itemReader.Read();
        var fields = new ItemFields { IdStart = -1 };
        ReadItem(ref itemReader, itemData, ref fields, wantText: false, wantReasoning: false);
        var item = ItemAt(index, itemData, fields.IdStart);
        if (item.SawAdded || item.Done)
        {
            // A second item under one output index: its events could not be told from the first's, and a call would be lost.
            throw ClientErrors.InvalidResponse(Protocol, $"an output item was added at output_index {item.Index}, which holds one already");
        }

        item.SawAdded = true;
        (_open ??= []).Add(item.Index);
        item.Fields = OwnFields(ref fields, itemData) ?? item.Fields;
        item.CallId ??= fields.CallId;
        if (fields.Kind != ResponsesItemKind.Unknown)
        {
            item.Kind = fields.Kind;
        }

        if (item.Kind == ResponsesItemKind.FunctionCall)
        {
            _toolCalls.GetOrAdd(item.Index).Receive(fields.CallId, fields.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
        }

        return null;
    }

    private ChatResponseUpdate? OnItemDone(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        var sawIndex = false;
        var itemStart = -1;
        ResponsesOutputItem? item = null;
        List<AIContent>? contents = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("output_index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Protocol, "output_index");
                sawIndex = true;
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                }
                else if (sawIndex)
                {
                    // The usual order: the index first, so the item is read in the same pass.
                    item = ReadDoneItem(ref reader, payload, index, ref contents);
                }
                else
                {
                    itemStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (itemStart >= 0)
        {
            // Positions in the item are counted from its start.
            var itemData = payload[itemStart..];
            var itemReader = new Utf8JsonReader(itemData);
            itemReader.Read();
            item = ReadDoneItem(ref itemReader, itemData, index, ref contents);
        }

        return item is null ? null : ItemUpdate(item, contents);
    }

    /// <summary>Reads the complete item of <c>output_item.done</c> (the reader at its start) and completes the item.</summary>
    private ResponsesOutputItem? ReadDoneItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, int index, ref List<AIContent>? contents)
    {
        index = ResolveIndex(index);
        var item = FindItem(index) ?? NewItem(index);
        if (item.Done)
        {
            // A repeated done: the item went out already, unless it is another call (which would otherwise be lost).
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (IsAnotherCall(data[start..(int)reader.BytesConsumed], item.CallId))
            {
                throw ClientErrors.InvalidResponse(Protocol, $"a second function call was done at output_index {item.Index}");
            }

            return null;
        }

        CompleteItem(ref reader, data, item, whole: false, ref contents);
        return item;
    }

    /// <summary>
    /// Reads a complete item (the reader at its start) and adds what is still due for it: text and reasoning nobody got
    /// from deltas (only for an item this mapper saw from its start), a refusal, encrypted reasoning, a function call.
    /// </summary>
    /// <param name="reader">The reader, at the item's start; at its end afterwards.</param>
    /// <param name="data">The JSON the reader reads.</param>
    /// <param name="item">The item's state.</param>
    /// <param name="whole">Whether the item is part of a complete response object read by <see cref="ReadComplete"/>.</param>
    /// <param name="contents">Where the contents go.</param>
    private void CompleteItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ResponsesOutputItem item, bool whole, ref List<AIContent>? contents)
    {
        var fullySeen = whole || item.SawAdded || !_midStream;
        var fields = new ItemFields { IdStart = -1 };
        var itemStart = (int)reader.TokenStartIndex;
        ReadItem(ref reader, data, ref fields, wantText: fullySeen && !item.GotText, wantReasoning: fullySeen && !item.GotReasoning);
        if (item.Id is null && fields.IdStart >= 0)
        {
            item.Id = StringAt(data, fields.IdStart);
        }

        if (fields.Kind != ResponsesItemKind.Unknown)
        {
            item.Kind = fields.Kind;
        }

        item.Done = true;
        _open?.Remove(item.Index);
        item.Fields = OwnFields(ref fields, data) ?? item.Fields;
        item.CallId ??= fields.CallId;
        var before = contents?.Count ?? 0;
        switch (item.Kind)
        {
            case ResponsesItemKind.Reasoning:
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

                break;

            case ResponsesItemKind.FunctionCall:
                var call = _toolCalls.GetOrAdd(item.Index);
                call.Receive(fields.CallId, fields.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
                if (!fields.Arguments.IsEmpty)
                {
                    // The done item's arguments are complete: a resumed stream may have seen only the tail of the pieces.
                    call.ReplaceArguments(fields.Arguments, fields.ArgumentsAreObject);
                }

                if (whole && fields.InProgress)
                {
                    // A polled response still writing the call: it goes out complete, at the end, or not at all.
                    break;
                }

                _madeCall = true;
                var completed = _toolCalls.Complete(item.Index)!;
                item.CallId = completed.CallId;
                (contents ??= new(1)).Add(WireFields.Keep(completed, ResponsesKeys.Fields, item.Fields));
                break;

            case ResponsesItemKind.Message:
            case ResponsesItemKind.Unknown:
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

                if (fields.Refusal is not null || fields.HadRefusal || item.Refusal is not null)
                {
                    // An item this mapper never saw added, with no refusal pieces either: its refusal went out before.
                    if (fullySeen || item.Refusal is not null)
                    {
                        ReportRefusal(item, fields.Refusal, ref contents);
                    }
                }

                break;

            case ResponsesItemKind.Other:
                // Hosted tools, compaction and items nobody announced: mapped where a type fits, kept verbatim for the next request.
                var json = data[itemStart..(int)reader.BytesConsumed];
                item.Json.Add(json);
                ResponsesHostedItems.Map(json, ref contents);
                break;
        }

        if ((contents?.Count ?? 0) > before)
        {
            _lastWithContent = item;
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
}
