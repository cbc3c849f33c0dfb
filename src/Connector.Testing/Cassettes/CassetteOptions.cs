namespace YuHuan.Connector.Testing;

/// <summary>How cassettes are recorded and replayed: the mode, the gateway, what is secret, what may differ between runs.</summary>
public sealed class CassetteOptions
{
    /// <summary>The gateway's default endpoint, where <see cref="CassetteMode.Record"/> sends requests unless told otherwise.</summary>
    public static readonly Uri DefaultGatewayEndpoint = new("https://api.yuhuanstudio.com/v1/");

    /// <summary>Gets or sets what a <see cref="CassetteSession"/> does; the environment variable <c>YUHUAN_CASSETTE_MODE</c>, when
    /// set, takes precedence. The default is <see cref="CassetteMode.RecordIfMissing"/>.</summary>
    public CassetteMode Mode { get; set; } = CassetteMode.RecordIfMissing;

    /// <summary>Gets or sets the gateway a recording session talks to; <see cref="DefaultGatewayEndpoint"/> by default. A
    /// recorder writes the paths of requests under it as the emulator serves them, under <c>/v1/</c>, so a gateway reached
    /// through another base path (a proxy's <c>/yuhuan/v1/</c>) replays too.</summary>
    public Uri GatewayEndpoint { get; set; } = DefaultGatewayEndpoint;

    /// <summary>Gets or sets the API key a recording session gives the client (<see cref="CassetteSession.ApiKey"/>). It is
    /// never written to a cassette; a session that must record without one fails before it sends anything.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets the names of request headers whose values are secret, besides the key headers that always are
    /// (<c>Authorization</c>, <c>x-api-key</c>, <c>api-key</c>). Request headers are never written; their secret values
    /// are also taken out of everything that is (bodies, response headers, the query), in any form.</summary>
    public ISet<string> SecretHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the JSON body fields whose values are secret: written as <c>"[redacted]"</c>, taken out of the rest of
    /// the cassette in any form (the strings of eight characters or more in them), and not compared in a
    /// replay. A plain name (<c>user</c>) is that property at any depth; a dotted path (<c>metadata.session_token</c>,
    /// <c>messages.*.name</c>) is followed from the root.</summary>
    public ISet<string> SecretFields { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets further secret values, taken out of everything written in any form (as they are, JSON-escaped,
    /// URL-encoded, as HTML character references).</summary>
    public ISet<string> Secrets { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets the JSON body fields that may differ between the recorded and the replayed request (ids, timestamps,
    /// <c>stream_options</c>…), named as in <see cref="SecretFields"/>; the default <see cref="CassetteMatcher"/> ignores them.</summary>
    public ISet<string> VolatileFields { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets what decides that a request is a recorded one; <see langword="null"/> (the default) uses a
    /// <see cref="CassetteMatcher"/> over <see cref="VolatileFields"/>.</summary>
    public ICassetteMatcher? Matcher { get; set; }

    /// <summary>Gets or sets a value indicating whether a replay keeps the recorded pacing (the wait for the headers and
    /// between body pieces); by default it sends everything at once.</summary>
    public bool KeepPacing { get; set; }

    /// <summary>Gets or sets the clock a paced replay waits on; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets the response headers written to a cassette and replayed: the content type, the retry and rate-limit
    /// headers (with <c>x-should-retry</c>, which decides whether the client retries) and the request ids by default. A name
    /// ending in <c>*</c> stands for every header it begins. Headers that frame the body on the wire (<c>Content-Length</c>,
    /// <c>Transfer-Encoding</c>, <c>Content-Encoding</c>, <c>Connection</c>…) are never kept: a cassette holds the body
    /// decoded, and a replay frames it itself.</summary>
    public ISet<string> RecordedHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type",
        "Retry-After",
        "retry-after-ms",
        "x-should-retry",
        "x-request-id",
        "request-id",
        "x-ratelimit-*",
        "anthropic-ratelimit-*",
    };

    /// <summary>Gets the matcher to use: <see cref="Matcher"/>, or one over <see cref="VolatileFields"/> and <see cref="SecretFields"/>.</summary>
    internal ICassetteMatcher ResolveMatcher() => Matcher ?? new CassetteMatcher(VolatileFields.Concat(SecretFields));

    /// <summary>Gets a value indicating whether a response header is one to record.</summary>
    internal bool Records(string headerName)
    {
        if (CassetteFormat.IsFraming(headerName))
        {
            return false;
        }

        foreach (var recorded in RecordedHeaders)
        {
            if (recorded.EndsWith('*')
                ? headerName.StartsWith(recorded.AsSpan(0, recorded.Length - 1), StringComparison.OrdinalIgnoreCase)
                : string.Equals(headerName, recorded, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
