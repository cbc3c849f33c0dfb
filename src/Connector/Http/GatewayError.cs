using System.Globalization;
using System.Net;
using System.Text;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Http;

/// <summary>Turns the gateway's error bodies, in any of the shapes real servers send, into <see cref="YuHuanApiException"/>.</summary>
/// <remarks>
/// What the server says is quoted up to <see cref="QuotedText.MaxQuotedLength"/> characters each. It may hold the API key: the client
/// scrubs every exception that leaves it (see <see cref="Shared.SecretScrubber"/>), and the transport's log scrubs what it
/// writes, so nothing here needs the key.
/// </remarks>
internal static class GatewayError
{
    /// <summary>Creates the exception for a non-success status, from what the protocol read of the (possibly empty, HTML or JSON) body.</summary>
    public static YuHuanApiException FromStatus(HttpStatusCode status, string? reasonPhrase, ErrorBody error, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        var code = (int)status;
        var (message, type, errorCode) = error;
        if (string.IsNullOrWhiteSpace(message))
        {
            message = DescribeBody(body);
        }

        var text = new StringBuilder("The gateway answered ")
            .Append(code.ToString(CultureInfo.InvariantCulture))
            .Append(" (").Append(string.IsNullOrEmpty(reasonPhrase) ? status.ToString() : QuotedText.Truncate(reasonPhrase)).Append(')');
        if (!string.IsNullOrEmpty(message))
        {
            text.Append(": ").Append(QuotedText.Truncate(message));
        }

        return new YuHuanApiException(text.ToString(), code, QuotedText.TruncateOrNull(type) ?? DefaultType(code), QuotedText.TruncateOrNull(errorCode), retryAfter);
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
