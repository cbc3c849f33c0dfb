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

        foreach (var header in options.AdditionalHeaders)
        {
            if (string.IsNullOrWhiteSpace(header.Key) || HasLineBreakOrControl(header.Key) || header.Value is null || HasLineBreakOrControl(header.Value))
            {
                throw new ArgumentException($"YuHuanChatClientOptions.AdditionalHeaders has an invalid header '{Sanitize(header.Key)}': names and values must be set and free of line breaks.", nameof(options));
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

        if (options.NetworkTimeout <= TimeSpan.Zero && options.NetworkTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NetworkTimeout, "YuHuanChatClientOptions.NetworkTimeout must be positive or Timeout.InfiniteTimeSpan.");
        }
    }

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
