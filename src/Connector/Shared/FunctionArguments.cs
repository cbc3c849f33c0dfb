using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>Parses the JSON arguments of a function call into the dictionary <see cref="FunctionCallContent"/> carries.</summary>
internal static class FunctionArguments
{
    /// <summary>
    /// Creates a call from its raw JSON arguments. Empty arguments mean no arguments; arguments that are not a JSON
    /// object are reported in <see cref="FunctionCallContent.Exception"/>, with the raw text kept as the raw representation.
    /// </summary>
    public static FunctionCallContent CreateCall(string callId, string name, ReadOnlySpan<byte> json)
    {
        try
        {
            return new FunctionCallContent(callId, name, Parse(json));
        }
        catch (JsonException ex)
        {
            return new FunctionCallContent(callId, name)
            {
                Exception = new InvalidOperationException($"The arguments of the call to function '{name}' (id '{callId}') are not a valid JSON object: {ex.Message}", ex),
                RawRepresentation = Encoding.UTF8.GetString(json),
            };
        }
    }

    /// <summary>Parses a JSON object into a dictionary of <see cref="JsonElement"/> values.</summary>
    /// <exception cref="JsonException">The text is not one JSON object.</exception>
    public static Dictionary<string, object?> Parse(ReadOnlySpan<byte> json)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return arguments;
        }

        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            arguments[key] = JsonElement.ParseValue(ref reader);
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("Unexpected content after the JSON object.");
        }

        return arguments;
    }
}
