namespace YuHuan.Connector.Protocol;

/// <summary>One HTTP call to the gateway, as a protocol builds it: everything but the key, the client's own headers and the base address.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RelativeUri">The path and query, relative to the base address (<c>responses/resp_1?stream=true</c>).</param>
/// <param name="Body">The JSON body; empty for a call without one (a <c>GET</c>).</param>
/// <param name="Stream">Whether an event stream is asked for (the <c>Accept</c> header).</param>
/// <param name="Model">The model asked for, as logged; <see langword="null"/> when unknown.</param>
/// <param name="Headers">The protocol's headers for this call (a version, the beta features a tool needs); <see langword="null"/> when none.</param>
/// <param name="State">What the protocol decided while writing the body that its mapper needs (such as whether the response is stored); <see langword="null"/> when nothing.</param>
internal sealed record WireRequest(
    HttpMethod Method,
    string RelativeUri,
    ReadOnlyMemory<byte> Body,
    bool Stream,
    string? Model,
    IReadOnlyList<WireHeader>? Headers = null,
    object? State = null)
{
    /// <summary>Creates a <c>POST</c> of <paramref name="body"/> to <paramref name="relativeUri"/>.</summary>
    public static WireRequest Post(string relativeUri, ReadOnlyMemory<byte> body, ChatRequest request, IReadOnlyList<WireHeader>? headers = null, object? state = null) =>
        new(HttpMethod.Post, relativeUri, body, request.Stream, request.Model, headers, state);

    /// <summary>Creates a <c>GET</c> of <paramref name="relativeUri"/>.</summary>
    public static WireRequest Get(string relativeUri, bool stream, string? model) => new(HttpMethod.Get, relativeUri, default, stream, model);
}
