namespace YuHuan.Connector.Testing;

/// <summary>A recorded response: status, the headers that matter, and the body piece by piece with its timing.</summary>
internal sealed class CassetteResponse
{
    public CassetteResponse(TimeSpan headersAt, int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, long? contentLength)
    {
        HeadersAt = headersAt;
        StatusCode = statusCode;
        Headers = headers;
        ContentLength = contentLength;
    }

    /// <summary>Gets when the headers arrived, from the start of the request.</summary>
    public TimeSpan HeadersAt { get; }

    /// <summary>Gets the HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the recorded headers (content type, retry and rate-limit headers, request ids), secrets scrubbed.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Gets the <c>Content-Length</c> the server declared, or <see langword="null"/> for a chunked body.</summary>
    public long? ContentLength { get; }

    /// <summary>Gets the body as it arrived, piece by piece; each piece ends at a character boundary.</summary>
    public List<CassetteChunk> Chunks { get; } = [];
}
