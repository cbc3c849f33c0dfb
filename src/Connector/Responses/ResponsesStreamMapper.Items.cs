// Output items: added and done, message and reasoning items, text, reasoning and refusal deltas, and the updates they become.

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    private ChatResponseUpdate? OnTextDelta(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (_response.JoinText(e.Text) is not { } text)
        {
            return null;
        }

        item.GotText = true;
        item.Text.Add(text);
        return ItemUpdate(item, [GiveFields(item, new TextContent(text))]);
    }

    private ChatResponseUpdate? OnReasoningDelta(ReadOnlySpan<byte> payload, bool raw)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (_response.JoinReasoning(e.Text) is not { } text)
        {
            return null;
        }

        item.GotReasoning = true;
        item.Text.Add(text);
        var piece = new TextReasoningContent(text);
        MarkFirstReasoning(item, piece, raw);
        return ItemUpdate(item, [piece]);
    }

    private void OnRefusalDelta(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        var refusal = item.Refusal ??= new StringBuilder();
        _refusalPending = true;
        if (e.Text is not { } text)
        {
            return;
        }

        if ((long)refusal.Length + text.Length >= ResponseLimits.MaxResponseBytes)
        {
            throw ClientErrors.TooLarge("The refusal of the gateway's response (characters)", ResponseLimits.MaxResponseBytes);
        }

        refusal.Append(text);
    }

    /// <summary><c>response.refusal.done</c>, or a <c>response.content_part.done</c> whose part may be a refusal.</summary>
    private ChatResponseUpdate? OnRefusalDone(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        if (e.Refusal is null && !e.HadRefusal)
        {
            return null;
        }

        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        List<AIContent>? contents = null;
        ReportRefusal(item, e.Refusal, ref contents);
        return contents is null ? null : ItemUpdate(item, contents);
    }

    private void OnItemAdded(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        var itemStart = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("output_index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Name, "output_index");
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                reader.Read();
                itemStart = reader.TokenType == JsonTokenType.StartObject ? (int)reader.TokenStartIndex : -1;
                reader.Skip();
            }
            else
            {
                SkipOrKeepSequence(ref reader);
            }
        }

        if (itemStart < 0)
        {
            return;
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
            throw ClientErrors.InvalidResponse(Name, $"an output item was added at output_index {item.Index}, which holds one already");
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
                index = JsonReading.Index(ref reader, Name, "output_index");
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
                SkipOrKeepSequence(ref reader);
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
                throw ClientErrors.InvalidResponse(Name, $"a second function call was done at output_index {item.Index}");
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
    /// <param name="whole">Whether the item is part of a complete response object read by <see cref="ReadResponse"/>.</param>
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

    /// <summary>An event without <c>output_index</c> belongs to the item being streamed.</summary>
    private int ResolveIndex(int index) => index >= 0 ? index : _current?.Index ?? -1;

    private ResponsesOutputItem? FindItem(int index)
    {
        if (_current is { } current && current.Index == index)
        {
            return current;
        }

        if (_items.TryGetValue(index, out var item))
        {
            _current = item;
        }

        return item;
    }

    private ResponsesOutputItem NewItem(int index)
    {
        if (_items.Count >= ResponseLimits.MaxOutputItems)
        {
            throw ClientErrors.TooLarge("The number of output items in the gateway's response", ResponseLimits.MaxOutputItems);
        }

        var item = new ResponsesOutputItem(index);
        _items.Add(index, item);
        _current = item;
        return item;
    }

    /// <summary>The item an event is about, created when this is the first the mapper hears of it (a resumed stream).</summary>
    private ResponsesOutputItem ItemAt(int index, ReadOnlySpan<byte> payload, int itemIdStart)
    {
        index = ResolveIndex(index);
        var item = FindItem(index) ?? NewItem(index);
        if (item.Id is null && itemIdStart >= 0)
        {
            item.Id = StringAt(payload, itemIdStart);
        }

        return item;
    }

    /// <summary>
    /// Sets the message id of the updates from <paramref name="item"/> on: one assistant message per message item. The
    /// first message item's updates, and those of the reasoning and function-call items around it, carry the response id
    /// (a response of one message is one message, as on the other protocols); a later message item (a response may hold
    /// several, "commentary" then "final_answer") opens a message of its own under the item's id, which the reasoning and
    /// calls after it join.
    /// </summary>
    private void Enter(ResponsesOutputItem? item, List<AIContent>? contents)
    {
        var isMessage = item is not null && (item.Kind == ResponsesItemKind.Message
            || (item.Kind == ResponsesItemKind.Unknown && contents is not null && contents.Exists(static c => c is TextContent or ErrorContent)));
        if (isMessage && !ReferenceEquals(item, _firstMessage))
        {
            if (_firstMessage is null)
            {
                _firstMessage = item;
            }
            else
            {
                _messageId = item!.Id ?? (_response.ResponseId + "/" + item.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        _response.MessageId = _messageId;
    }

    /// <summary>
    /// An update of the item (or of the response, for <see langword="null"/>), with the continuation token of a background
    /// response; <see langword="null"/> when the item's contents wait for an item before it (see <see cref="Release"/>).
    /// </summary>
    private ChatResponseUpdate? ItemUpdate(ResponsesOutputItem? item, List<AIContent>? contents)
    {
        if (item is not null && contents is not null && IsHeldBack(item))
        {
            if (item.Held is null)
            {
                item.Held = contents;
                _holding++;
            }
            else
            {
                item.Held.AddRange(contents);
            }

            contents = null;
        }

        if (contents is not null || item is null)
        {
            Enter(item, contents);
        }

        if (_holding > 0)
        {
            Release(ref contents, all: false);
        }

        if (item is not null && contents is null)
        {
            return null;
        }

        _lastWithContent = item ?? _lastWithContent;
        var update = _response.NewUpdate(contents);
        if (_background)
        {
#pragma warning disable MEAI001 // ContinuationToken is experimental.
            update.ContinuationToken = Continuation;
#pragma warning restore MEAI001
        }

        return update;
    }
}
