using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// What every protocol's mapper does around its events, so that a protocol fills in only its event table and what differs:
/// nothing after the terminal event; no work for an empty payload; the event's type from its <c>event:</c> line, or, without
/// one (SSE's default type <c>message</c>), from the payload's top-level <c>type</c>; the handler found in the protocol's
/// <see cref="EventTable{TMapper}"/> (an event type it does not hold is skipped, never a failure); a payload that cannot be
/// read (not JSON, not an object, a field of the wrong type) reported as <c>invalid_response</c>, streamed or complete;
/// an error event read in the shapes servers send; a stream cut before the terminal event reported as
/// <c>incomplete_stream</c>; and the response's ids, model and creation time on every update (<see cref="Response"/>).
/// </summary>
/// <remarks>
/// With <see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>, every update made from an event carries the
/// event's JSON as <see cref="ChatResponseUpdate.RawRepresentation"/> (a <see cref="JsonElement"/> of its own, which
/// outlives the buffer; data that is not JSON, such as <c>[DONE]</c>, as a JSON string), and an event the protocol maps to
/// nothing (a <c>ping</c>, an event type it does not know, a header event) yields an update carrying only that, with the
/// response's ids; the updates of a complete response carry the response object. Only the update made when a stream ends
/// without its terminal event (Chat Completions after a finish reason) comes from no event and carries none. Off (the
/// default), the only cost on an event is one test of a field.
/// </remarks>
/// <typeparam name="TMapper">The protocol's mapper, the type its event handlers take.</typeparam>
internal abstract class StreamMapperBase<TMapper> : IStreamMapper
    where TMapper : StreamMapperBase<TMapper>
{
    private readonly EventTable<TMapper> _events;
    private readonly string _terminalEvent;
    private readonly bool _includeRaw;
    private readonly TMapper _self;

    /// <summary>Initializes the mapper of one response.</summary>
    /// <param name="protocol">The protocol's name, as used in messages (its protocol class's <c>DisplayName</c>).</param>
    /// <param name="terminalEvent">The event that ends a stream, as named in the message of a stream cut before it.</param>
    /// <param name="usage">The names the protocol gives the usage counts.</param>
    /// <param name="events">The protocol's events and their handlers.</param>
    /// <param name="includeRawRepresentation">Whether updates carry the wire JSON they came from (<see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>).</param>
    protected StreamMapperBase(string protocol, string terminalEvent, UsageFields usage, EventTable<TMapper> events, bool includeRawRepresentation)
    {
        Protocol = protocol;
        Response = new ResponseState(usage);
        _terminalEvent = terminalEvent;
        _events = events;
        _includeRaw = includeRawRepresentation;
        _self = (TMapper)this;
    }

    /// <inheritdoc />
    public bool IsCompleted { get; protected set; }

    /// <summary>Gets the protocol's name, as used in messages.</summary>
    protected string Protocol { get; }

    /// <summary>Gets what the response carries across its events, and where its updates are made.</summary>
    protected ResponseState Response { get; }

    /// <summary>
    /// Gets a value indicating whether the response may end without its terminal event, and so the end of the stream
    /// completes it (<see cref="CompletePending"/>) instead of reporting it cut off.
    /// </summary>
    protected virtual bool MayEndWithoutTerminal => false;

    /// <inheritdoc />
    public ChatResponseUpdate? OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
        if (IsCompleted)
        {
            return null;
        }

        var payload = EventPayload.Of(data);
        if (payload.IsEmpty)
        {
            return null;
        }

        ChatResponseUpdate? update;
        try
        {
            if (!Admit(payload))
            {
                return null;
            }

            update = Dispatch(eventType, payload);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw ClientErrors.Unreadable(Protocol, ex);
        }

        if (_includeRaw)
        {
            update ??= UnmappedUpdate();
            update.RawRepresentation = RawJson(payload);
        }

        return update;
    }

    /// <inheritdoc />
    public ChatResponseUpdate? OnEndOfStream()
    {
        if (IsCompleted)
        {
            return null;
        }

        if (!MayEndWithoutTerminal)
        {
            throw ClientErrors.IncompleteStream(Protocol, _terminalEvent);
        }

        IsCompleted = true;
        return CompletePending();
    }

    /// <inheritdoc />
    public void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates)
    {
        var first = updates.Count;
        try
        {
            ReadComplete(json, updates);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw ClientErrors.Unreadable(Protocol, ex);
        }

        if (_includeRaw && updates.Count > first)
        {
            object raw = RawJson(json);
            for (var i = first; i < updates.Count; i++)
            {
                updates[i].RawRepresentation = raw;
            }
        }
    }

    /// <summary>Reads an error event (<c>{"type":"error", …}</c>) into the exception it is; see <see cref="ReadError(ReadOnlySpan{byte})"/>. The response ends with it.</summary>
    /// <exception cref="YuHuanApiException">Always: the error.</exception>
    protected ChatResponseUpdate? OnErrorEvent(ReadOnlySpan<byte> payload)
    {
        IsCompleted = true;
        throw ReadError(payload);
    }

    /// <summary>
    /// Reads an error event in the shapes servers send: flat <c>{"type":"error","code","message"}</c> or nested
    /// <c>{"type":"error","error":{"type","code","message"}}</c>, the fields in any order. The top-level <c>type</c> names
    /// the event, never the error: the error's type is the nested one, else its code. A bare string is the message.
    /// </summary>
    protected static YuHuanApiException ReadError(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        reader.Read();
        ErrorObjects.ReadErrorObject(ref reader, out var message, out var type, out var code, isEvent: true);
        return ErrorObjects.InStream(message, type ?? code, code);
    }

    /// <summary>Reads the error object at the reader's position (a field of an event, such as a chunk's <c>error</c>) into the exception it is.</summary>
    protected static YuHuanApiException ReadErrorObject(ref Utf8JsonReader reader)
    {
        ErrorObjects.ReadErrorObject(ref reader, out var message, out var type, out var code);
        return ErrorObjects.InStream(message, type, code);
    }

    /// <summary>Starts reading an event's payload, which must be a JSON object (else <c>invalid_response</c>).</summary>
    protected Utf8JsonReader ObjectReader(ReadOnlySpan<byte> payload) => JsonReading.EventObject(payload, Protocol);

    /// <summary>Starts reading a complete response, which must be a JSON object (else <c>invalid_response</c>).</summary>
    protected Utf8JsonReader ResponseReader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw ClientErrors.InvalidResponse(Protocol, "the response is not a JSON object");
        }

        return reader;
    }

    /// <summary>Finds the top-level <c>type</c> of an event object (UTF-8, unescaped), wherever it stands among the fields; empty when it has none.</summary>
    /// <exception cref="YuHuanApiException">The payload is not a JSON object (<c>invalid_response</c>).</exception>
    protected ReadOnlySpan<byte> TypeOf(ReadOnlySpan<byte> payload, Span<byte> buffer) => JsonReading.EventType(payload, Protocol, buffer);

    /// <summary>Maps one complete (non-streamed) response object into <paramref name="updates"/>.</summary>
    /// <exception cref="JsonException">The object is not valid JSON.</exception>
    /// <exception cref="InvalidOperationException">A field has the wrong type.</exception>
    /// <exception cref="YuHuanApiException">The object is an error or cannot be read.</exception>
    protected abstract void ReadComplete(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates);

    /// <summary>
    /// Decides whether an event is read at all, before its type is looked at: a protocol that resumes streams skips the
    /// events it read before (and notes the position of the others). Every event is read by default.
    /// </summary>
    protected virtual bool Admit(ReadOnlySpan<byte> payload) => true;

    /// <summary>The last update of a response whose stream ended without its terminal event, when <see cref="MayEndWithoutTerminal"/>.</summary>
    protected virtual ChatResponseUpdate? CompletePending() => null;

    /// <summary>The update of an event mapped to nothing, which carries only its raw representation: the response's ids.</summary>
    protected virtual ChatResponseUpdate UnmappedUpdate() => Response.NewUpdate(null);

    private ChatResponseUpdate? Dispatch(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload)
    {
        if (_events.Each is { } each)
        {
            return each(_self, payload);
        }

        // The event line names the type; without one (the SSE default, "message"), the payload's "type" does.
        var handler = eventType.IsEmpty || eventType.SequenceEqual("message"u8)
            ? _events.Find(TypeOf(payload, stackalloc byte[EventTable<TMapper>.MaxNameLength]))
            : _events.Find(eventType);
        return handler?.Invoke(_self, payload);
    }

    /// <summary>The JSON of an event or a response as a <see cref="JsonElement"/> of its own; data that is not JSON (<c>[DONE]</c>) as a JSON string.</summary>
    private static JsonElement RawJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonElement.Parse(json);
        }
        catch (JsonException)
        {
            var buffer = new ArrayBufferWriter<byte>(json.Length + 2);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStringValue(Encoding.UTF8.GetString(json));
            }

            return JsonElement.Parse(buffer.WrittenSpan);
        }
    }
}
