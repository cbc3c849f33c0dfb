// Output items in order: found by output_index (never by item id), one assistant message per message item, and contents
// held back while an item before them is open, so the history lists items in output_index order.

using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
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
        var update = Response.NewUpdate(contents);
        if (_background)
        {
#pragma warning disable MEAI001 // ContinuationToken is experimental.
            update.ContinuationToken = Continuation;
#pragma warning restore MEAI001
        }

        return update;
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
