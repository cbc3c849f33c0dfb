namespace YuHuan.Connector.Http;

/// <summary>One request to the gateway: a <c>POST</c> of a body to the protocol's endpoint, or a <c>GET</c> of a path that resumes or polls a background response.</summary>
/// <param name="Body">The JSON body of a <c>POST</c>; empty for a <c>GET</c>.</param>
/// <param name="Model">The model asked for, as logged; <see langword="null"/> when unknown.</param>
/// <param name="Stream">Whether an event stream is asked for.</param>
/// <param name="ContinuationPath">The path and query, relative to the base address, of a <c>GET</c>; <see langword="null"/> for a <c>POST</c>.</param>
/// <param name="Headers">Headers the request writer asked for (see <see cref="ChatRequest.Headers"/>); <see langword="null"/> when none.</param>
internal readonly record struct GatewayCall(ReadOnlyMemory<byte> Body, string? Model, bool Stream, string? ContinuationPath = null, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    /// <summary>Creates the <c>GET</c> that resumes a stream (or polls a response) after an interruption, at <paramref name="path"/>.</summary>
    public GatewayCall ResumedAt(string path) => this with { Body = default, ContinuationPath = path };
}
