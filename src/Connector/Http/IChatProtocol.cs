using System.Net.Http.Headers;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Http;

/// <summary>One wire protocol of the gateway: where it is served, how a request is written and how its answers are read.</summary>
internal interface IChatProtocol
{
    /// <summary>Gets the path of the protocol's endpoint, relative to the base address.</summary>
    string RelativePath { get; }

    /// <summary>Gets the protocol's name, as used in messages.</summary>
    string Name { get; }

    /// <summary>Adds the authentication and protocol headers.</summary>
    /// <param name="headers">The request's headers.</param>
    /// <param name="apiKey">The key, or <see langword="null"/> for none.</param>
    /// <param name="keyOnlyInAuthorization">
    /// Whether the key may travel only in <c>Authorization</c>, the one header .NET drops when an <see cref="HttpClient"/>
    /// follows a redirect: the client was handed an <see cref="HttpClient"/> that may follow one to another origin.
    /// </param>
    void ApplyHeaders(HttpRequestHeaders headers, string? apiKey, bool keyOnlyInAuthorization);

    /// <summary>Writes the JSON request body.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol, or no model is set anywhere.</exception>
    ReadOnlyMemory<byte> WriteRequest(ChatRequest request);

    /// <summary>
    /// Gets the path and query, relative to the base address, that a <c>GET</c> resumes (streamed) or polls (complete) the
    /// background response <paramref name="token"/> names.
    /// </summary>
    /// <exception cref="ArgumentException">The protocol has no background responses, or the token is not one of its tokens.</exception>
    string ContinuationPath(ResponseContinuationToken token, bool stream);

    /// <summary>Creates the stateful mapper of one response, streamed or complete, to <paramref name="request"/>.</summary>
    IStreamMapper CreateStreamMapper(ChatRequest request);
}
