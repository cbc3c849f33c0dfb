using System.Text;
using System.Text.Json;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// Reads error objects in the shapes real servers send (<c>{"message","type","code"}</c>, nested under <c>error</c> or not,
/// or a bare string), for error bodies and error events alike, and makes the exception an in-stream error becomes.
/// </summary>
internal static class ErrorObjects
{
    /// <summary>Creates the exception for an error object received inside a successful stream.</summary>
    public static YuHuanApiException InStream(string? message, string? type, string? code) =>
        new("The gateway reported an error in the stream: " + QuotedText.Truncate(string.IsNullOrWhiteSpace(message) ? "(no message)" : message), null, QuotedText.TruncateOrNull(type), QuotedText.TruncateOrNull(code));

    /// <summary>Reads the error object a whole body holds; all <see langword="null"/> when the body is no JSON object or says nothing readable.</summary>
    public static (string? Message, string? Type, string? Code) ReadBody(ReadOnlySpan<byte> body)
    {
        TryReadError(body, out var message, out var type, out var code);
        return (message, type, code);
    }

    /// <summary>Reads an error object (<c>{"message","type","code"}</c>) at the reader's position, which is its start.</summary>
    /// <param name="reader">The reader, at the object's start (a bare string is the message).</param>
    /// <param name="message">The message.</param>
    /// <param name="type">The error type.</param>
    /// <param name="code">The error code.</param>
    /// <param name="isEvent">
    /// Whether the object is an error event (<c>{"type":"error", …}</c>): then its top-level <c>type</c> names the event,
    /// never the error, and a nested <c>error</c> object wins over the top-level fields wherever it stands.
    /// </param>
    public static void ReadErrorObject(ref Utf8JsonReader reader, out string? message, out string? type, out string? code, bool isEvent = false)
    {
        message = null;
        type = null;
        code = null;
        string? innerMessage = null;
        string? innerType = null;
        string? innerCode = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            message = reader.GetString();
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = ScalarText(ref reader) ?? message;
            }
            else if (reader.ValueTextEquals("type"u8) && !isEvent)
            {
                reader.Read();
                type = ScalarText(ref reader) ?? type;
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = ScalarText(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                // Nested form: {"type":"error","error":{"type","message"}}.
                reader.Read();
                ReadErrorObject(ref reader, out innerMessage, out innerType, out innerCode);
                if (!isEvent)
                {
                    message = innerMessage ?? message;
                    type = innerType ?? type;
                    code = innerCode ?? code;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (isEvent)
        {
            message = innerMessage ?? message;
            type = innerType;
            code = innerCode ?? code;
        }
    }

    /// <summary>Reads a string, number or boolean as text; skips objects and arrays.</summary>
    public static string? ScalarText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
            case JsonTokenType.True:
            case JsonTokenType.False:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }

    private static void TryReadError(ReadOnlySpan<byte> body, out string? message, out string? type, out string? code)
    {
        message = null;
        type = null;
        code = null;
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return;
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed);
            reader.Read();
            ReadErrorObject(ref reader, out message, out type, out code);
        }
        catch (JsonException)
        {
            message = null;
        }
        catch (InvalidOperationException)
        {
            message = null;
        }
    }
}
