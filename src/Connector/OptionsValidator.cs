namespace YuHuan.Connector;

/// <summary>
/// The one check of <see cref="YuHuanChatClientOptions"/>, used by the client's constructor and by dependency injection
/// at host start alike. Each message names the setting as the user wrote it (the configuration key when the options were
/// bound from configuration, the property otherwise), says what is wrong and what to do, and never quotes the key.
/// </summary>
internal static class OptionsValidator
{
    /// <summary>Throws when a setting cannot work.</summary>
    /// <exception cref="ArgumentNullException">The endpoint is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number or duration is out of range.</exception>
    /// <exception cref="ArgumentException">Another setting is invalid.</exception>
    public static void Validate(YuHuanChatClientOptions options)
    {
        if (options.Endpoint is null)
        {
            throw new ArgumentNullException(nameof(options), Setting(options, nameof(YuHuanChatClientOptions.Endpoint)) + " must be set.");
        }

        if (FindProblem(options) is { } problem)
        {
            throw problem.OutOfRange
                ? new ArgumentOutOfRangeException(nameof(options), problem.Message)
                : new ArgumentException(problem.Message, nameof(options));
        }
    }

    /// <summary>Finds the first setting that cannot work.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The message, and whether it is about a value out of range; <see langword="null"/> when all is well.</returns>
    public static (string Message, bool OutOfRange)? FindProblem(YuHuanChatClientOptions options)
    {
        var endpoint = options.Endpoint;
        if (endpoint is null || !endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            return Problem(options, nameof(YuHuanChatClientOptions.Endpoint), $"must be an absolute http or https address such as {YuHuanChatClientOptions.DefaultEndpoint}; '{endpoint?.OriginalString}' is not");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback && !options.AllowInsecureHttp)
        {
            return Problem(
                options,
                nameof(YuHuanChatClientOptions.Endpoint),
                $"'{endpoint.GetLeftPart(UriPartial.Authority)}' uses http:// to a host that is not loopback, which would send the API key in clear text. Use https://, or set {Setting(options, nameof(YuHuanChatClientOptions.AllowInsecureHttp))} to true");
        }

        if (options.ApiKey is { } key && (key.Length == 0 || HasLineBreakOrControl(key)))
        {
            return Problem(options, nameof(YuHuanChatClientOptions.ApiKey), "is empty or contains line breaks or control characters; set the key exactly as the gateway issued it");
        }

        // HttpClient sends header values as ASCII: a key with a pasted en dash or curly quote would fail every request
        // before it left the machine, as if the gateway could not be reached.
        if (options.ApiKey is { } asciiKey && FirstNonAscii(asciiKey) is { } keyPosition)
        {
            return Problem(
                options,
                nameof(YuHuanChatClientOptions.ApiKey),
                $"contains a character that is not printable ASCII (position {keyPosition} of {asciiKey.Length}); API keys are ASCII only: check for a pasted dash, quote or non-breaking space and copy the key again");
        }

        if (!Protocols.IsServed(options.Protocol))
        {
            return Problem(options, nameof(YuHuanChatClientOptions.Protocol), UnservedProtocol(options.Protocol));
        }

        using var probe = new HttpRequestMessage();
        foreach (var header in options.AdditionalHeaders)
        {
            // A request header the HTTP stack accepts: a valid token, not a content header such as Content-Type.
            if (string.IsNullOrWhiteSpace(header.Key) || HasLineBreakOrControl(header.Key) || header.Value is null || HasLineBreakOrControl(header.Value)
                || !probe.Headers.TryAddWithoutValidation(header.Key, "x"))
            {
                return Problem(options, nameof(YuHuanChatClientOptions.AdditionalHeaders), $"has an invalid header '{Sanitize(header.Key)}': names must be valid request header names (not content headers such as Content-Type) and values must be free of line breaks");
            }

            if (FirstNonAscii(header.Value) is { } valuePosition)
            {
                return Problem(
                    options,
                    nameof(YuHuanChatClientOptions.AdditionalHeaders),
                    $"has a header '{Sanitize(header.Key)}' whose value contains a character that is not ASCII (position {valuePosition}), which HttpClient refuses to send; check for a pasted dash or quote, or encode the value (for example as percent-encoded UTF-8)");
            }
        }

        if (options.MaxRetries < 0)
        {
            return OutOfRange(options, nameof(YuHuanChatClientOptions.MaxRetries), $"must not be negative; it is {options.MaxRetries}. Use 0 to disable retries");
        }

        if (options.MaxRetryDelay < TimeSpan.Zero)
        {
            return OutOfRange(options, nameof(YuHuanChatClientOptions.MaxRetryDelay), $"must not be negative; it is {options.MaxRetryDelay}");
        }

        if (options.NetworkTimeout != Timeout.InfiniteTimeSpan
            && (options.NetworkTimeout <= TimeSpan.Zero || options.NetworkTimeout.TotalMilliseconds > int.MaxValue))
        {
            return OutOfRange(options, nameof(YuHuanChatClientOptions.NetworkTimeout), $"must be positive and at most 24 days, or Timeout.InfiniteTimeSpan; it is {options.NetworkTimeout}");
        }

        if (options.DefaultMaxOutputTokens <= 0)
        {
            return OutOfRange(options, nameof(YuHuanChatClientOptions.DefaultMaxOutputTokens), $"must be greater than zero; it is {options.DefaultMaxOutputTokens}");
        }

        // Only a gateway on loopback (the emulator, a local proxy) may need no key; any other answers 401 without one, so
        // say so before sending anything. A credential of another kind may go in a header a protocol carries keys in.
        if (string.IsNullOrEmpty(options.ApiKey) && !endpoint.IsLoopback
            && !Protocols.All.Any(p => p.Prototype.KeyHeaders.Any(options.AdditionalHeaders.ContainsKey)))
        {
            var where = options.ConfigurationPath is { } path
                ? $"set it in user secrets or the environment variable {path.Replace(":", "__", StringComparison.Ordinal)}__{nameof(YuHuanChatClientOptions.ApiKey)}"
                : "read it from user secrets or an environment variable rather than source code";
            return Problem(options, nameof(YuHuanChatClientOptions.ApiKey), $"is missing; the gateway at {endpoint.Host} needs one ({where}), or send an Authorization header through AdditionalHeaders");
        }

        return null;
    }

    /// <summary>Names a setting: <c>'Section:Key'</c> for options bound from configuration, <c>YuHuanChatClientOptions.Key</c> otherwise.</summary>
    internal static string Setting(YuHuanChatClientOptions options, string name) =>
        options.ConfigurationPath is { } path ? $"The setting '{path}:{name}'" : "YuHuanChatClientOptions." + name;

    private static string UnservedProtocol(YuHuanProtocol protocol) =>
        Enum.IsDefined(protocol)
            ? $"is {protocol}, which this version of YuHuan.Connector does not serve yet; use {ProtocolNames.List(p => p.ToString(), "or")}"
            : $"has the value {(int)protocol}, which is not a YuHuanProtocol";

    private static (string, bool) Problem(YuHuanChatClientOptions options, string name, string what) => ($"{Setting(options, name)} {what}.", false);

    private static (string, bool) OutOfRange(YuHuanChatClientOptions options, string name, string what) => ($"{Setting(options, name)} {what}.", true);

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

    /// <summary>Returns the position (from 1) of the first character that is not ASCII, or <see langword="null"/> when all are.</summary>
    private static int? FirstNonAscii(string value)
    {
        var index = value.AsSpan().IndexOfAnyExceptInRange('\0', '\u007F');
        return index < 0 ? null : index + 1;
    }

    private static string Sanitize(string? name) =>
        name is null ? "(null)" : new string(name.Where(c => !char.IsControl(c)).Take(64).ToArray());
}
