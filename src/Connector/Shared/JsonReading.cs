using System.Text.Json;

namespace YuHuan.Connector.Shared;

/// <summary>Reader steps the protocols' parsers share.</summary>
internal static class JsonReading
{
    /// <summary>
    /// Moves to the next element of the array the reader is at (its start, or inside it) that is an object; elements of
    /// other types (a <c>null</c>, say) are skipped, not taken for the end. A value that is not an array is skipped whole.
    /// </summary>
    /// <returns><see langword="true"/> at the start of an object; <see langword="false"/> at the end of the array.</returns>
    public static bool NextObjectInArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.EndObject))
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>
    /// Moves to the value of the next field called <paramref name="name"/> of the object the reader is in (at the object's
    /// start, or at the last token of a field's value), skipping every other field. Read the value, then call again: a
    /// repeated field is found too, and the last call leaves the reader at the object's end.
    /// </summary>
    /// <returns><see langword="true"/> at the field's value; <see langword="false"/> at the end of the object.</returns>
    public static bool SeekField(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = reader.ValueTextEquals(name);
            reader.Read();
            if (found)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>The JSON text of the value at the reader's position (its first token) in <paramref name="data"/>, which the reader skips.</summary>
    public static ReadOnlySpan<byte> RawValue(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> data)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return data[start..(int)reader.BytesConsumed];
    }

    /// <summary>Reads a string; one holding half of a surrogate pair (split across events by the server) is kept as it is.</summary>
    public static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            return LenientJsonString.Decode(reader.ValueSpan);
        }
    }

    /// <summary>Reads a non-empty string (leniently, see <see cref="ReadString"/>); any other value is skipped and gives <see langword="null"/>.</summary>
    public static string? NonEmptyString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.Length == 0 ? null : ReadString(ref reader);
        }

        reader.Skip();
        return null;
    }

    /// <summary>Starts reading an event's payload, which must be a JSON object.</summary>
    /// <param name="payload">The event's data.</param>
    /// <param name="protocol">The protocol's name, as used in messages.</param>
    /// <returns>A reader at the object's start.</returns>
    /// <exception cref="YuHuanApiException">The payload is not a JSON object (<c>invalid_response</c>).</exception>
    public static Utf8JsonReader EventObject(ReadOnlySpan<byte> payload, string protocol)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw ClientErrors.InvalidResponse(protocol, "an event is not a JSON object");
        }

        return reader;
    }

    /// <summary>
    /// Reads an index (of a block, an output item), the identity its events are correlated by: a non-negative 32-bit
    /// integer; <c>null</c> counts as no index and gives -1.
    /// </summary>
    /// <param name="reader">The reader, at the index's value.</param>
    /// <param name="protocol">The protocol's name, as used in messages.</param>
    /// <param name="field">The field's name, as used in messages.</param>
    /// <exception cref="YuHuanApiException">
    /// The value is anything else (<c>invalid_response</c>): a negative, fractional, too large or quoted index names no
    /// block or item, and taking it for none would put two of them under one key.
    /// </exception>
    public static int Index(ref Utf8JsonReader reader, string protocol, string field)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) && index >= 0)
        {
            return index;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return -1;
        }

        throw NotAnIndex(protocol, field);
    }

    /// <summary>The error of an index that is not a non-negative 32-bit integer.</summary>
    public static YuHuanApiException NotAnIndex(string protocol, string field) =>
        ClientErrors.InvalidResponse(protocol, $"an event's '{field}' is not a non-negative 32-bit integer");

    /// <summary>Reads text where text is expected: a string (empty means none) or null; another type is an error, not a silent drop.</summary>
    /// <exception cref="InvalidOperationException">The value is neither a string nor null.</exception>
    public static string? TextOrNull(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.ValueSpan.Length == 0 ? null : ReadString(ref reader),
        _ => throw new InvalidOperationException($"expected a string, found {reader.TokenType}"),
    };

    /// <summary>
    /// Takes the raw bytes of function arguments at the reader's position: a string's content still escaped as on the wire
    /// (pieces are unescaped together once the call is complete), or, a quirk of some servers, the text of an object given
    /// instead of a string holding one. Any other value is skipped.
    /// </summary>
    /// <returns><see langword="true"/> when arguments were taken.</returns>
    public static bool TryReadArguments(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> data, out ReadOnlySpan<byte> arguments, out bool isObject)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            arguments = data.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
            isObject = false;
            return true;
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            arguments = RawValue(ref reader, data);
            isObject = true;
            return true;
        }

        reader.Skip();
        arguments = default;
        isObject = false;
        return false;
    }

    /// <summary>
    /// Finds the top-level <c>type</c> of an event object, wherever it stands among the fields, as UTF-8: the payload's own
    /// bytes, or, when the value is written with escapes, its unescaped bytes copied into <paramref name="buffer"/>. Empty
    /// when there is none, or when it is longer than the buffer (event types are short names, so a longer one is none of
    /// the protocol's).
    /// </summary>
    /// <exception cref="YuHuanApiException">The payload is not a JSON object (<c>invalid_response</c>).</exception>
    public static ReadOnlySpan<byte> EventType(ReadOnlySpan<byte> payload, string protocol, Span<byte> buffer)
    {
        var reader = EventObject(payload, protocol);
        while (SeekField(ref reader, "type"u8))
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                if (reader.ValueSpan.Length > buffer.Length)
                {
                    return default;
                }

                return reader.ValueIsEscaped ? buffer[..reader.CopyString(buffer)] : payload.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
            }

            reader.Skip();
        }

        return default;
    }
}
