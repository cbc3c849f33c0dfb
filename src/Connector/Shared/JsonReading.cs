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
}
