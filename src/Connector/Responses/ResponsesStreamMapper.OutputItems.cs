// Output items: added and done (a done item completed by the concern of its kind), found by output_index (never by item
// id), one assistant message per message item, and contents held back while an item before them is open, so the history
// lists items in output_index order.

using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
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
            if (IsAnotherCall(JsonReading.RawValue(ref reader, data), item.CallId))
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
                CompleteReasoning(item, ref fields, ref contents);
                break;
            case ResponsesItemKind.FunctionCall:
                CompleteCall(item, ref fields, whole, ref contents);
                break;
            case ResponsesItemKind.Message:
            case ResponsesItemKind.Unknown:
                CompleteMessage(item, ref fields, fullySeen, ref contents);
                break;
            case ResponsesItemKind.Other:
                CompleteHosted(item, data[itemStart..(int)reader.BytesConsumed], ref contents);
                break;
        }

        if ((contents?.Count ?? 0) > before)
        {
            _lastWithContent = item;
        }
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

    /// <summary>The item an event is about (see <see cref="NextItemEventField"/>), created when this is the first the mapper hears of it.</summary>
    private ResponsesOutputItem ItemAt(ItemRef at, ReadOnlySpan<byte> payload) => ItemAt(at.Index, payload, at.IdStart);

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
                _messageId = item!.Id ?? (Response.ResponseId + "/" + item.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Response.MessageId = _messageId;
    }

    /// <summary>
    /// An update of the item (or of the response, for <see langword="null"/>), with the continuation token of a background
    /// response; <see langword="null"/> when the item's contents wait for an item before it (see <see cref="Release"/>).
    /// </summary>
    private ChatResponseUpdate? ItemUpdate(ResponsesOutputItem? item, List<AIContent>? contents)
    {
        if (item is not null && contents is not null && IsHeldBack(item))
        {
            Hold(item, contents);
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
        return NewUpdate(contents);
    }

    /// <summary>Keeps an item's contents until <see cref="Release"/> lets them go, after those it keeps already.</summary>
    private void Hold(ResponsesOutputItem item, List<AIContent> contents)
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
    }

    /// <summary>
    /// Whether an item's contents must wait: items can complete out of order ("output_item.done for index 4 before index
    /// 2"), and the history keeps them in <c>output_index</c> order, as the complete response lists them, so an item's
    /// contents wait while an item before it that was added is not done (and behind the contents of its own that wait).
    /// </summary>
    private bool IsHeldBack(ResponsesOutputItem item) => item.Held is not null || (_open is { Count: > 0 } open && open.Min < item.Index);

    /// <summary>
    /// Adds the waiting contents of the items no open item precedes (every item's, when <paramref name="all"/>), in
    /// <c>output_index</c> order, after <paramref name="contents"/>.
    /// </summary>
    private void Release(ref List<AIContent>? contents, bool all)
    {
        var bound = !all && _open is { Count: > 0 } open ? open.Min : int.MaxValue;
        List<ResponsesOutputItem>? due = null;
        foreach (var item in _items.Values)
        {
            if (item.Held is not null && item.Index < bound)
            {
                (due ??= []).Add(item);
            }
        }

        if (due is null)
        {
            return;
        }

        due.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        foreach (var item in due)
        {
            Enter(item, item.Held);
            (contents ??= new(item.Held!.Count)).AddRange(item.Held!);
            item.Held = null;
            _holding--;
        }
    }
}
