using System.Text.Json;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Reads text where a protocol expects a string but some servers send an array of content parts (Mistral, and gateways
/// that copy its arrays into other protocols' text fields): <c>{"type":"text","text"}</c> parts are text,
/// <c>{"type":"thinking","thinking":[{"type":"text","text"}]}</c> parts reasoning.
/// </summary>
internal static class ContentParts
{
    /// <summary>Reads text where text is expected: a string, or the text parts of an array of content parts; <see langword="null"/> for null or empty.</summary>
    /// <exception cref="InvalidOperationException">The value is a number, a boolean or an object: an error, never a silent drop.</exception>
    public static string? Read(ref Utf8JsonReader reader)
    {
        string? reasoning = null;
        var text = Read(ref reader, ref reasoning);
        return text is null ? reasoning : reasoning is null ? text : reasoning + text;
    }

    /// <summary>
    /// Reads a string or an array of content parts: <c>{"type":"text","text"}</c> parts into the returned text,
    /// <c>{"type":"thinking","thinking":[{"type":"text","text"}]}</c> parts (or a thinking string) into <paramref name="reasoning"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is a number, a boolean or an object.</exception>
    public static string? Read(ref Utf8JsonReader reader, ref string? reasoning)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.ValueSpan.Length == 0 ? null : JsonReading.ReadString(ref reader);
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                break;
            default:
                throw new InvalidOperationException($"Expected text (a string or an array of content parts), found {reader.TokenType}.");
        }

        string? text = null;
        while (JsonReading.NextObjectInArray(ref reader))
        {
            string? partText = null;
            string? partThinking = null;
            var isThinking = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    partText = Concat(partText, Read(ref reader));
                }
                else if (reader.ValueTextEquals("thinking"u8))
                {
                    reader.Read();
                    isThinking = true;
                    string? nested = null;
                    partThinking = Concat(partThinking, Concat(Read(ref reader, ref nested), nested));
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    isThinking |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("thinking"u8);
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (isThinking)
            {
                reasoning = Concat(reasoning, Concat(partThinking, partText));
            }
            else
            {
                text = Concat(text, partText);
            }
        }

        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>Joins two optional pieces of text.</summary>
    public static string? Concat(string? first, string? second) =>
        first is null ? second : second is null ? first : first + second;
}
