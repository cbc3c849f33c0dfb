// The end of a response: the terminal events and a complete (or polled) response object, its output matched to the
// streamed items, what is still open completed, and the last update with usage and the finish reason.

using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    /// <inheritdoc />
    protected override void ReadComplete(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates)
    {
        var reader = ResponseReader(json);
        var first = updates.Count;
        var fields = default(ResponseFields);
        List<AIContent>? contents = null;
        ReadResponseObject(ref reader, json, ref fields, updates, ref contents, whole: true);
        if (fields.HasError || fields.Status == Status.Failed)
        {
            IsCompleted = true;
            throw Failure(ref fields);
        }

        if (!fields.Seen)
        {
            throw ClientErrors.InvalidResponse(Protocol, "the body is not a response object");
        }

        // Fields that followed "output" in the object reach the updates made before them.
        Response.FillIn(updates, first);
        if (fields.Status == Status.InProgress)
        {
            updates.Add(Polled(updates, first));
            return;
        }

        updates.Add(Finish(fields.Status == Status.None ? Status.Completed : fields.Status, ref fields, contents));
    }

    private static YuHuanApiException Failure(ref ResponseFields fields) =>
        ErrorObjects.InStream(fields.ErrorMessage ?? "The response failed.", fields.ErrorType ?? fields.ErrorCode, fields.ErrorCode);

    private ChatResponseUpdate? OnTerminal(ReadOnlySpan<byte> payload, Status status)
    {
        var reader = ObjectReader(payload);
        var fields = default(ResponseFields);
        List<AIContent>? contents = null;
        while (JsonReading.SeekField(ref reader, "response"u8))
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadResponseObject(ref reader, payload, ref fields, null, ref contents, whole: false);
            }
            else
            {
                reader.Skip();
            }
        }

        // The response's own status, when it names an end, says how it ended.
        if (fields.Status is Status.Completed or Status.Incomplete or Status.Failed or Status.Cancelled)
        {
            status = fields.Status;
        }

        return Finish(status, ref fields, contents);
    }

    /// <summary>
    /// Reads a <c>response</c> object (the reader at its start): ids, model, status, usage, how it ended, and its output
    /// items: every one when <paramref name="whole"/>, else only those the stream left open.
    /// </summary>
    /// <param name="reader">The reader, at the object's start.</param>
    /// <param name="data">The JSON the reader reads.</param>
    /// <param name="fields">What the object says beyond its items.</param>
    /// <param name="perItem">Where each item's contents go as an update of their own, or <see langword="null"/> to add them to <paramref name="contents"/>.</param>
    /// <param name="contents">The contents of the terminal update.</param>
    /// <param name="whole">Whether this is a complete response read by <see cref="ReadComplete"/> rather than a terminal event.</param>
    private void ReadResponseObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref ResponseFields fields, IList<ChatResponseUpdate>? perItem, ref List<AIContent>? contents, bool whole)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Response.ReadModelOrCreated(ref reader, CreatedField))
            {
                continue;
            }

            if (reader.ValueTextEquals("output"u8))
            {
                reader.Read();
                fields.Seen = true;
                var position = 0;
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadOutputElement(ref reader, data, position++, perItem, ref contents, whole);
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                fields.Seen = true;
                fields.Id = ReadLatestResponseId(ref reader) ?? fields.Id;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                Response.MergeUsage(ref reader);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                fields.Seen = true;
                fields.Status = StatusOf(ref reader);
            }
            else if (reader.ValueTextEquals("store"u8))
            {
                reader.Read();
                fields.NotStored = reader.TokenType == JsonTokenType.False;
            }
            else if (reader.ValueTextEquals("incomplete_details"u8))
            {
                reader.Read();
                ReadIncompleteDetails(ref reader, ref fields);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String)
                {
                    fields.HasError = true;
                    ErrorObjects.ReadErrorObject(ref reader, out fields.ErrorMessage, out fields.ErrorType, out fields.ErrorCode);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadIncompleteDetails(ref Utf8JsonReader reader, ref ResponseFields fields)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (JsonReading.SeekField(ref reader, "reason"u8))
        {
            fields.IncompleteReason = JsonReading.NonEmptyString(ref reader);
        }
    }

    /// <summary>One element of a response's <c>output</c>, at <paramref name="position"/> (its output index).</summary>
    private void ReadOutputElement(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, int position, IList<ChatResponseUpdate>? perItem, ref List<AIContent>? contents, bool whole)
    {
        var item = whole ? FindItem(position) : MatchTerminal(reader, data);
        if (!whole && (item is { Done: true } || (item is null && _midStream)))
        {
            // Done in the stream, or (for a resumed mapper) done before it resumed: the caller has it.
            SkipItem(ref reader);
            return;
        }

        item ??= NewItem(whole ? position : FreeIndex());
        if (perItem is null)
        {
            // The terminal event completes what the stream left open: in output_index order with what waits (see Release).
            List<AIContent>? completed = null;
            CompleteItem(ref reader, data, item, whole, ref completed);
            if (completed is not null)
            {
                Hold(item, completed);
            }

            return;
        }

        List<AIContent>? own = null;
        CompleteItem(ref reader, data, item, whole, ref own);
        if (own is not null)
        {
            Enter(item, own);
            perItem.Add(Response.NewUpdate(own));
        }
    }

    /// <summary>
    /// Feeds the string at the reader's position (a terminal item's whole text, repeated) to a fingerprint from its UTF-8
    /// bytes, unescaped into a pooled buffer when written with escapes, never made into a string; one that holds half of a
    /// surrogate pair is read as <see cref="JsonReading.ReadString"/> reads it.
    /// </summary>
    private static void AddText(TextFingerprint text, ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            if (!text.TryAddUtf8Text(reader.ValueSpan))
            {
                text.Add(JsonReading.ReadString(ref reader));
            }

            return;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            if (!TryUnescape(ref reader, buffer, out var written) || !text.TryAddUtf8Text(buffer.AsSpan(0, written)))
            {
                text.Add(JsonReading.ReadString(ref reader));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryUnescape(ref Utf8JsonReader reader, byte[] buffer, out int written)
    {
        try
        {
            written = reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            written = 0;
            return false;
        }
    }

    /// <summary>Skips an item the caller already has, noting only whether it was a function call (for the finish reason).</summary>
    private void SkipItem(ref Utf8JsonReader reader)
    {
        while (JsonReading.SeekField(ref reader, "type"u8))
        {
            if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("function_call"u8))
            {
                _madeCall = true;
            }

            reader.Skip();
        }
    }

    /// <summary>Ends the response: a failure is thrown; otherwise the last update, with what is still open, usage and the finish reason.</summary>
    private ChatResponseUpdate Finish(Status status, ref ResponseFields fields, List<AIContent>? contents)
    {
        IsCompleted = true;
        if (status == Status.Failed || fields.HasError)
        {
            throw Failure(ref fields);
        }

        if (status == Status.Cancelled)
        {
            throw ErrorObjects.InStream("The response was cancelled before it was complete.", "cancelled", null);
        }

        if (_holding > 0)
        {
            List<AIContent>? released = null;
            Release(ref released, all: true);
            if (contents is not null)
            {
                released!.AddRange(contents);
            }

            contents = released;
        }

        if (_toolCalls.HasPending)
        {
            // Calls the server never said were done: they are as complete as they will get.
            _madeCall = true;
            _toolCalls.CompleteAll(contents ??= new(1));
        }

        if (_refusalPending)
        {
            foreach (var item in _items.Values)
            {
                if (item.Refusal is not null)
                {
                    ReportRefusal(item, null, ref contents);
                }
            }
        }

        Response.FlushHeld(ref contents);
        Response.TakeUsage(ref contents);
        var finishReason = status == Status.Incomplete ? ResponsesVocabulary.IncompleteReason(fields.IncompleteReason)
            : _refused ? ChatFinishReason.ContentFilter
            : _madeCall ? ChatFinishReason.ToolCalls
            : ChatFinishReason.Stop;
        Response.MessageId = _messageId;
        var update = Response.NewUpdate(contents, finishReason);
        if (_conversation is not null)
        {
            // A conversation the server keeps goes on: the next request adds to it, never chains on this response.
            update.ConversationId = _conversation;
        }
        else if (_stored && !fields.NotStored && fields.Id is not null)
        {
            // The id a later previous_response_id must name is the terminal event's.
            update.ConversationId = fields.Id;
        }

        return update;
    }

    /// <summary>
    /// Finds the streamed item an element of the terminal output is (the reader, a copy, at the element's start): "position
    /// N is not output_index N", so never by position: by item id, else (ids rotate) by call id or by the text the stream
    /// delivered for it, else the first item of its kind the stream left open; <see langword="null"/> for an item the stream
    /// never sent.
    /// </summary>
    private ResponsesOutputItem? MatchTerminal(Utf8JsonReader reader, ReadOnlySpan<byte> data)
    {
        var start = (int)reader.TokenStartIndex;
        string? id = null;
        string? callId = null;
        var kind = ResponsesItemKind.Unknown;
        var text = new TextFingerprint();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = ItemKindOf(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("call_id"u8))
            {
                reader.Read();
                callId = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("summary"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    while (JsonReading.SeekField(ref reader, "text"u8))
                    {
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            AddText(text, ref reader);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var json = new TextFingerprint();
        json.Add(data[start..(int)reader.BytesConsumed]);
        ResponsesOutputItem? byContent = null;
        ResponsesOutputItem? open = null;
        foreach (var item in _items.Values)
        {
            if (item.Matched)
            {
                continue;
            }

            if (id is not null && item.Id == id)
            {
                return Matched(item);
            }

            if (byContent is null && (item.Kind == kind || item.Kind == ResponsesItemKind.Unknown)
                && ((callId is not null && item.CallId == callId) || item.Text.SameNonEmpty(text) || item.Json.SameNonEmpty(json)))
            {
                byContent = item;
            }

            if (!item.Done && (item.Kind == kind || item.Kind == ResponsesItemKind.Unknown) && (open is null || item.Index < open.Index))
            {
                open = item;
            }
        }

        return byContent is not null ? Matched(byContent) : open is not null ? Matched(open) : null;

        static ResponsesOutputItem Matched(ResponsesOutputItem item)
        {
            item.Matched = true;
            return item;
        }
    }

    /// <summary>An output index no item has: the place of a terminal output item the stream never sent.</summary>
    private int FreeIndex()
    {
        var next = 0;
        foreach (var index in _items.Keys)
        {
            next = Math.Max(next, index + 1);
        }

        return next;
    }

    /// <summary>What a <c>response</c> object says beyond its items.</summary>
    private ref struct ResponseFields
    {
        public bool Seen;
        public string? Id;
        public Status Status;
        public bool NotStored;
        public string? IncompleteReason;
        public bool HasError;
        public string? ErrorMessage;
        public string? ErrorType;
        public string? ErrorCode;
    }
}
