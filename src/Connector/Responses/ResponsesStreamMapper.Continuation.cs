// The response header events, the latest response id and sequence_number, and the continuation of a background
// response: its token, a polled response still running, and events a resumed stream read before.

using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    /// <summary>
    /// Gets the token that resumes this background response after the last event seen: the latest response id (the
    /// resumed token's until an event names one) and the last <c>sequence_number</c>; <see langword="null"/> when the
    /// response is not a background one, is complete, or its id or position is not known yet: a stream without
    /// <c>sequence_number</c>s cannot be resumed without repeating what was read.
    /// </summary>
#pragma warning disable MEAI001 // ContinuationToken is experimental.
    public ResponseContinuationToken? Continuation =>
        _background && !IsCompleted && _latestResponseId is { } id && _sequence is { } sequence ? new ResponsesContinuationToken(id, sequence) : null;
#pragma warning restore MEAI001

    /// <inheritdoc />
    public long ResumePosition => _sequence ?? -1;

    private ChatResponseUpdate? OnResponseHeader(ReadOnlySpan<byte> payload)
    {
        var knew = _latestResponseId is not null;
        var reader = ObjectReader(payload);
        while (JsonReading.SeekField(ref reader, "response"u8))
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (Response.ReadModelOrCreated(ref reader, CreatedField))
                {
                    continue;
                }

                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    ReadLatestResponseId(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        // A background caller gets its first continuation token as soon as the response has an id.
        if (!_background || knew || _latestResponseId is null)
        {
            return null;
        }

        return ItemUpdate(null, null);
    }

    /// <summary>A polled response still running: one update with what it holds so far and the token to poll again.</summary>
    private ChatResponseUpdate Polled(IList<ChatResponseUpdate> updates, int first)
    {
        var id = _latestResponseId is { } latest && ResponsesContinuationToken.IsPathSegment(latest)
            ? latest
            : throw ClientErrors.InvalidResponse(Protocol, "a response still in progress has no id to poll it by (none, or one that is no path segment such as '..')");
        List<AIContent>? contents = null;
        for (var i = first; i < updates.Count; i++)
        {
            (contents ??= []).AddRange(updates[i].Contents);
        }

        while (updates.Count > first)
        {
            updates.RemoveAt(updates.Count - 1);
        }

        Response.MessageId = _messageId;
        var update = Response.NewUpdate(contents);
#pragma warning disable MEAI001 // ContinuationToken is experimental.
        update.ContinuationToken = new ResponsesContinuationToken(id, null);
#pragma warning restore MEAI001
        return update;
    }

    /// <summary>
    /// Reads a response id (the reader at its value), of a header event or of the terminal response: the first one is the
    /// response's id on every update, the latest one names the response to resume or poll.
    /// </summary>
    /// <returns>The id; <see langword="null"/> when the value is no non-empty string.</returns>
    private string? ReadLatestResponseId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0)
        {
            reader.Skip();
            return null;
        }

        // Some servers change the id between response.created and response.in_progress: the token names the latest.
        if (_latestResponseId is null || !reader.ValueTextEquals(_latestResponseId))
        {
            var id = reader.GetString()!;
            Response.KeepResponseId(id);
            _latestResponseId = Resumable(id);
        }

        return _latestResponseId;
    }

    /// <summary>
    /// Returns <paramref name="id"/>, the id a background response is resumed or polled by (in the path
    /// <c>responses/{id}</c>), unless it is no path segment: then the response cannot be resumed, and is an error.
    /// </summary>
    private string Resumable(string id) => !_background || ResponsesContinuationToken.IsPathSegment(id)
        ? id
        : throw ClientErrors.InvalidResponse(Protocol, $"the response id '{QuotedText.Truncate(id)}' cannot name the response in a path to resume or poll it by");

    /// <summary>
    /// Notes the position of a background response's event (its <c>sequence_number</c>, the continuation token's one use),
    /// and skips an event read before: a stream resumed after event N must start after it, and one the server replays
    /// anyway is not read twice. Any other response's events are read without a look.
    /// </summary>
    protected override bool Admit(ReadOnlySpan<byte> payload)
    {
        if (!_background || PeekSequenceNumber(payload) is not { } sequence)
        {
            return true;
        }

        if (_sequence is { } last && sequence <= last)
        {
            return false;
        }

        _sequence = sequence;
        return true;
    }

    /// <summary>The update of an event mapped to nothing: the response's ids and, for a background response, its continuation token.</summary>
    protected override ChatResponseUpdate UnmappedUpdate() => NewUpdate(null);

    /// <summary>An update of the response, with the continuation token of a background response.</summary>
    private ChatResponseUpdate NewUpdate(List<AIContent>? contents)
    {
        var update = Response.NewUpdate(contents);
        if (_background)
        {
#pragma warning disable MEAI001 // ContinuationToken is experimental.
            update.ContinuationToken = Continuation;
#pragma warning restore MEAI001
        }

        return update;
    }

    /// <summary>Finds an event's top-level <c>sequence_number</c>, or <see langword="null"/> when it has none that can be read.</summary>
    private static long? PeekSequenceNumber(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            if (JsonReading.SeekField(ref reader, "sequence_number"u8))
            {
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var sequence) && sequence >= 0 ? sequence : null;
            }
        }
        catch (JsonException)
        {
            // Read properly (and reported) by the event's handler.
        }

        return null;
    }
}
