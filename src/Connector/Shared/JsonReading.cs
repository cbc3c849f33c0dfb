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
}
