using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace YuHuan.Connector.DependencyInjection;

/// <summary>
/// Binds a configuration section onto <see cref="YuHuanChatClientOptions"/> without reflection (so it is trim- and
/// AOT-safe); a value that cannot be read fails with a message naming its configuration key.
/// </summary>
internal static class YuHuanConfigurationBinder
{
    internal const string DefaultPrefix = "YuHuan";

    private static readonly string[] KnownKeys =
    [
        "Endpoint", "ApiKey", "ModelId", "Protocol", "MaxRetries", "MaxRetryDelay", "NetworkTimeout", "AllowInsecureHttp",
        "SplitThinkTags", "DefaultMaxOutputTokens", "AdditionalHeaders", "UseThinkingBudget", "IncludeRawRepresentation",
    ];

    /// <summary>Binds <paramref name="section"/>; each error names the key, and the registration's key when it has one.</summary>
    public static void Bind(IConfiguration section, YuHuanChatClientOptions options, object? serviceKey = null)
    {
        var prefix = section is IConfigurationSection s ? s.Path : DefaultPrefix;
        var errors = new List<string>();
        options.ConfigurationPath = prefix;
        if (section["Endpoint"] is { Length: > 0 } endpoint)
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                options.Endpoint = uri;
            }
            else
            {
                errors.Add($"The setting '{prefix}:Endpoint' must be an absolute URI; '{endpoint}' is not.");
            }
        }

        if (section["ApiKey"] is { Length: > 0 } apiKey)
        {
            options.ApiKey = apiKey;
        }

        if (section["ModelId"] is { Length: > 0 } modelId)
        {
            options.ModelId = modelId;
        }

        if (section["Protocol"] is { Length: > 0 } protocol)
        {
            if (ProtocolNames.TryParse(protocol, out var parsed))
            {
                options.Protocol = parsed;
            }
            else
            {
                errors.Add($"The setting '{prefix}:Protocol' must be {ProtocolNames.Accepted}; '{protocol}' is not.");
            }
        }

        if (section["MaxRetries"] is { Length: > 0 } retries)
        {
            if (int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
            {
                options.MaxRetries = count;
            }
            else
            {
                errors.Add($"The setting '{prefix}:MaxRetries' must be a whole number; '{retries}' is not.");
            }
        }

        if (section["DefaultMaxOutputTokens"] is { Length: > 0 } maxTokens)
        {
            if (int.TryParse(maxTokens, NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokens))
            {
                options.DefaultMaxOutputTokens = tokens;
            }
            else
            {
                errors.Add($"The setting '{prefix}:DefaultMaxOutputTokens' must be a whole number; '{maxTokens}' is not.");
            }
        }

        ReadTimeSpan(section, prefix, "MaxRetryDelay", errors, value => options.MaxRetryDelay = value);
        ReadTimeSpan(section, prefix, "NetworkTimeout", errors, value => options.NetworkTimeout = value);
        ReadBool(section, prefix, "AllowInsecureHttp", errors, value => options.AllowInsecureHttp = value);
        ReadBool(section, prefix, "SplitThinkTags", errors, value => options.SplitThinkTags = value);
        ReadBool(section, prefix, "UseThinkingBudget", errors, value => options.UseThinkingBudget = value);
        ReadBool(section, prefix, "IncludeRawRepresentation", errors, value => options.IncludeRawRepresentation = value);
        foreach (var header in section.GetSection("AdditionalHeaders").GetChildren())
        {
            if (header.Value is not null)
            {
                options.AdditionalHeaders[header.Key] = header.Value;
            }
        }

        // Only a section is the user's YuHuan settings alone: the root configuration holds everybody's keys.
        foreach (var child in section is IConfigurationSection ? section.GetChildren() : [])
        {
            if (!KnownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"The setting '{prefix}:{child.Key}' is not a YuHuan setting; did you mean '{prefix}:{Nearest(child.Key)}'? It would be ignored.");
            }
        }

        if (errors.Count > 0)
        {
            var client = YuHuanOptionsValidation.ForKey(serviceKey);
            throw new OptionsValidationException(prefix, typeof(YuHuanChatClientOptions), [.. errors.Select(error => client + error)]);
        }
    }

    private static void ReadBool(IConfiguration section, string prefix, string key, List<string> errors, Action<bool> set)
    {
        if (section[key] is not { Length: > 0 } text)
        {
            return;
        }

        if (bool.TryParse(text, out var value))
        {
            set(value);
        }
        else
        {
            errors.Add($"The setting '{prefix}:{key}' must be true or false; '{text}' is not.");
        }
    }

    private static void ReadTimeSpan(IConfiguration section, string prefix, string key, List<string> errors, Action<TimeSpan> set)
    {
        if (section[key] is not { Length: > 0 } text)
        {
            return;
        }

        // A plain number is seconds (TimeSpan.Parse would read "30" as thirty days).
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds - 1)
            {
                set(TimeSpan.FromSeconds(seconds));
            }
            else
            {
                errors.Add($"The setting '{prefix}:{key}' must be a number of seconds a time span can hold (such as 30); '{text}' is not.");
            }
        }
        else if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            set(value);
        }
        else
        {
            errors.Add($"The setting '{prefix}:{key}' must be a time span (such as 00:00:30) or a number of seconds; '{text}' is not.");
        }
    }

    /// <summary>The known key closest to <paramref name="key"/>: fewest edits, ignoring case.</summary>
    private static string Nearest(string key) =>
        KnownKeys.MinBy(known => Distance(key.ToUpperInvariant(), known.ToUpperInvariant()))!;

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
