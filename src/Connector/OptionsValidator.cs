namespace YuHuan.Connector;

/// <summary>Checks <see cref="YuHuanChatClientOptions"/> before a client uses them.</summary>
internal static class OptionsValidator
{
    /// <summary>Throws when a setting cannot work; messages name the setting and never quote the key.</summary>
    public static void Validate(YuHuanChatClientOptions options)
    {
        var endpoint = options.Endpoint ?? throw new ArgumentNullException(nameof(options), "YuHuanChatClientOptions.Endpoint must be set.");
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"YuHuanChatClientOptions.Endpoint must be an absolute http or https address; '{endpoint.OriginalString}' is not.", nameof(options));
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback && !options.AllowInsecureHttp)
        {
            throw new ArgumentException(
                $"YuHuanChatClientOptions.Endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}' uses http:// to a host that is not loopback, which would send the API key in clear text. Use https://, or set AllowInsecureHttp to true.",
                nameof(options));
        }

        if (options.ApiKey is { } key && (key.Length == 0 || HasLineBreakOrControl(key)))
        {
            throw new ArgumentException("YuHuanChatClientOptions.ApiKey is empty or contains line breaks or control characters.", nameof(options));
        }

        if (!Protocols.IsServed(options.Protocol))
        {
            throw new ArgumentException(UnservedProtocol(options.Protocol), nameof(options));
        }

        if (options.DefaultMaxOutputTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DefaultMaxOutputTokens, "YuHuanChatClientOptions.DefaultMaxOutputTokens must be greater than zero.");
        }

        using var probe = new HttpRequestMessage();
        foreach (var header in options.AdditionalHeaders)
        {
            // A request header the HTTP stack accepts: a valid token, not a content header such as Content-Type.
            if (string.IsNullOrWhiteSpace(header.Key) || HasLineBreakOrControl(header.Key) || header.Value is null || HasLineBreakOrControl(header.Value)
                || !probe.Headers.TryAddWithoutValidation(header.Key, "x"))
            {
                throw new ArgumentException($"YuHuanChatClientOptions.AdditionalHeaders has an invalid header '{Sanitize(header.Key)}': names must be valid request header names (not content headers such as Content-Type) and values must be free of line breaks.", nameof(options));
            }
        }

        if (options.MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRetries, "YuHuanChatClientOptions.MaxRetries must not be negative.");
        }

        if (options.MaxRetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRetryDelay, "YuHuanChatClientOptions.MaxRetryDelay must not be negative.");
        }

        if (options.NetworkTimeout != Timeout.InfiniteTimeSpan
            && (options.NetworkTimeout <= TimeSpan.Zero || options.NetworkTimeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NetworkTimeout, "YuHuanChatClientOptions.NetworkTimeout must be positive and at most 24 days, or Timeout.InfiniteTimeSpan.");
        }
    }

    /// <summary>The message for a protocol this version does not serve.</summary>
    internal static string UnservedProtocol(YuHuanProtocol protocol) =>
        Enum.IsDefined(protocol)
            ? $"YuHuanChatClientOptions.Protocol is {protocol}, which this version of YuHuan.Connector does not serve yet."
            : $"YuHuanChatClientOptions.Protocol has the value {(int)protocol}, which is not a YuHuanProtocol.";

    private static bool HasLineBreakOrControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c != '\t')
            {
                return true;
            }
        }

        return false;
    }

    private static string Sanitize(string? name) =>
        name is null ? "(null)" : new string(name.Where(c => !char.IsControl(c)).Take(64).ToArray());
}
