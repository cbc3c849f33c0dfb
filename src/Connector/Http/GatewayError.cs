using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Http;

/// <summary>Turns the gateway's error bodies, in any of the shapes real servers send, into <see cref="YuHuanApiException"/>.</summary>
/// <remarks>
/// What the server says is quoted up to <see cref="MaxQuotedLength"/> characters each. It may hold the API key: the client
/// scrubs every exception that leaves it (see <see cref="Shared.SecretScrubber"/>), and the transport's log scrubs what it
/// writes, so nothing here needs the key.
/// </remarks>
internal static class GatewayError
{
    /// <summary>The longest server text (message, error type, error code) quoted in an exception.</summary>
    internal const int MaxQuotedLength = 1024;

    /// <summary>What follows server text that was cut at <see cref="MaxQuotedLength"/>.</summary>
    internal const string TruncationMark = "… (truncated)";

    /// <summary>Creates the exception for a non-success status, from the (possibly empty, HTML or JSON) body.</summary>
    public static YuHuanApiException FromStatus(HttpStatusCode status, string? reasonPhrase, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        var code = (int)status;
        TryReadError(body, out var message, out var type, out var errorCode);
        if (string.IsNullOrWhiteSpace(message))
        {
            message = DescribeBody(body);
        }

        var text = new StringBuilder("The gateway answered ")
            .Append(code.ToString(CultureInfo.InvariantCulture))
            .Append(" (").Append(string.IsNullOrEmpty(reasonPhrase) ? status.ToString() : Truncate(reasonPhrase)).Append(')');
        if (!string.IsNullOrEmpty(message))
        {
            text.Append(": ").Append(Truncate(message));
        }

        return new YuHuanApiException(text.ToString(), code, TruncateOrNull(type) ?? DefaultType(code), TruncateOrNull(errorCode), retryAfter);
    }

    /// <summary>Creates the exception for an error object received inside a successful stream.</summary>
    public static YuHuanApiException InStream(string? message, string? type, string? code) =>
        new("The gateway reported an error in the stream: " + Truncate(string.IsNullOrWhiteSpace(message) ? "(no message)" : message), null, TruncateOrNull(type), TruncateOrNull(code));

    /// <summary>Reads an error object (<c>{"message","type","code"}</c>) at the reader's position, which is its start.</summary>
    public static void ReadErrorObject(ref Utf8JsonReader reader, out string? message, out string? type, out string? code)
    {
        message = null;
        type = null;
        code = null;
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
            else if (reader.ValueTextEquals("type"u8))
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
                ReadErrorObject(ref reader, out var innerMessage, out var innerType, out var innerCode);
                message = innerMessage ?? message;
                type = innerType ?? type;
                code = innerCode ?? code;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
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

    /// <summary>Parses <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date).</summary>
    /// <remarks>A number out of range (a negative or NaN <c>retry-after-ms</c>, an infinite one, or either form longer than the
    /// largest delta-seconds the <c>Retry-After</c> parser accepts, about 68 years) is ignored like an unreadable one: the
    /// request is retried with the usual backoff. A date is read however far ahead it is (a date in the past is no wait),
    /// like the same wait in seconds: beyond <see cref="YuHuanChatClientOptions.MaxRetryDelay"/> it is reported, not waited for.</remarks>
    public static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        var maxRetryAfter = TimeSpan.FromSeconds(int.MaxValue);
        if (response.Headers.TryGetValues("retry-after-ms", out var msValues)
            && double.TryParse(msValues.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            && ms >= 0
            && ms <= maxRetryAfter.TotalMilliseconds)
        {
            // NaN fails both comparisons; Infinity, 1e300 and other values no TimeSpan holds are out of range, ignored like garbage.
            return TimeSpan.FromMilliseconds(ms);
        }

        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    internal static string Truncate(string text) =>
        text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), TruncationMark);

    private static string? TruncateOrNull(string? text) => text is null ? null : Truncate(text);

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

    private static string DescribeBody(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0)
        {
            return string.Empty;
        }

        if (text.StartsWith('<'))
        {
            // An HTML error page from a proxy: its title says the most in the fewest words.
            var start = text.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
            var end = start < 0 ? -1 : text.IndexOf("</title>", start, StringComparison.OrdinalIgnoreCase);
            return end > start ? text[(start + 7)..end].Trim() : "(an HTML page)";
        }

        return text;
    }

    private static string DefaultType(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        408 => YuHuanErrorTypes.Timeout,
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        >= 500 => "server_error",
        _ => "http_error",
    };
}
