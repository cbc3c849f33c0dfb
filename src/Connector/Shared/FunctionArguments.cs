using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>Parses the JSON arguments of a function call into the dictionary <see cref="FunctionCallContent"/> carries.</summary>
internal static class FunctionArguments
{
    /// <summary>
    /// The <see cref="AIContent.AdditionalProperties"/> key of the arguments' text as the model wrote it, kept on a call
    /// whose arguments are no JSON object, so a later request sends them back as they came, even after the history was stored.
    /// </summary>
    public const string RawArgumentsKey = "yuhuan_raw_arguments";

    /// <summary>
    /// Creates a call from its raw JSON arguments. Empty arguments mean no arguments; arguments that are not a JSON
    /// object are reported in <see cref="FunctionCallContent.Exception"/>, with the raw text kept under
    /// <see cref="RawArgumentsKey"/> (and as the raw representation).
    /// </summary>
    public static FunctionCallContent CreateCall(string callId, string name, ReadOnlySpan<byte> json)
    {
        try
        {
            return new FunctionCallContent(callId, name, Parse(json));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or string that is not valid UTF-8, or an escaped lone surrogate.
            return Unparsed(callId, name, $"are not a valid JSON object: {ex.Message}", ex, Encoding.UTF8.GetString(json));
        }
    }

    /// <summary>
    /// Creates a call from arguments still escaped as the content of a JSON string (the concatenated pieces of a
    /// streamed <c>arguments</c> string). Text that does not unescape is reported like malformed arguments.
    /// </summary>
    public static FunctionCallContent CreateCallFromEscaped(string callId, string name, ReadOnlySpan<byte> escaped)
    {
        if (escaped.IndexOf((byte)'\\') < 0)
        {
            return CreateCall(callId, name, escaped);
        }

        var quoted = new byte[escaped.Length + 2];
        quoted[0] = (byte)'"';
        escaped.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        var unescaped = new byte[escaped.Length];
        int length;
        try
        {
            var reader = new Utf8JsonReader(quoted);
            reader.Read();
            length = reader.CopyString(unescaped);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Unparsed(callId, name, $"are not valid text: {ex.Message}", ex, Encoding.UTF8.GetString(escaped));
        }

        return CreateCall(callId, name, unescaped.AsSpan(0, length));
    }

    /// <summary>Gets the raw text of arguments that could not be parsed, as <see cref="CreateCall"/> kept it, or <see langword="null"/>.</summary>
    public static string? RawText(FunctionCallContent call) => WireFields.GetString(call, RawArgumentsKey);

    /// <summary>Parses a JSON object into a dictionary of <see cref="JsonElement"/> values.</summary>
    /// <exception cref="JsonException">The text is not one JSON object.</exception>
    /// <exception cref="InvalidOperationException">A name or string value cannot be read as text (invalid UTF-8 or a lone surrogate).</exception>
    public static Dictionary<string, object?> Parse(ReadOnlySpan<byte> json)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return arguments;
        }

        EnsureReadable(json);
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

    private static FunctionCallContent Unparsed(string callId, string name, string problem, Exception inner, string raw) =>
        new(callId, name)
        {
            Exception = new InvalidOperationException($"The arguments of the call to function '{name}' (id '{callId}') {problem}", inner),
            RawRepresentation = raw,
            AdditionalProperties = new() { [RawArgumentsKey] = raw },
        };

    /// <summary>
    /// Checks that every name and string can become text, so one that cannot fails here, as malformed arguments,
    /// rather than later in the function that gets it: the bytes must be UTF-8, and an escaped string (the only kind
    /// that can hold a lone surrogate) must unescape. Plain strings cost no allocation.
    /// </summary>
    private static void EnsureReadable(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            throw new JsonException("The arguments are not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                _ = reader.GetString();
            }
        }
    }
}
