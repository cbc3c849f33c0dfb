using System.Net.Http.Headers;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// One wire protocol of the gateway: the whole HTTP call a request becomes, how its answers and its errors are read, and
/// which tools it carries. A protocol that resumes background responses implements <see cref="IContinuingProtocol"/> too.
/// </summary>
internal interface IChatProtocol
{
    /// <summary>Gets the protocol's name, as used in messages and logs, such as <c>Chat Completions</c>.</summary>
    string Name { get; }

    /// <summary>Gets a value indicating whether the protocol carries <paramref name="tool"/> (a function, or a hosted tool it has a definition for).</summary>
    bool Supports(AITool tool);

    /// <summary>Builds the call <paramref name="request"/> becomes: method, relative URI with query, protocol headers and body, as one value.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    WireRequest CreateCall(ChatRequest request);

    /// <summary>Gets the headers the protocol carries a key in (a caller's own credential in one of them stands for the API key).</summary>
    IReadOnlyList<string> KeyHeaders { get; }

    /// <summary>Adds the API key in the protocol's headers.</summary>
    /// <param name="headers">The request's headers.</param>
    /// <param name="apiKey">The key.</param>
    /// <param name="keyOnlyInAuthorization">
    /// Whether the key may travel only in <c>Authorization</c>, the one header .NET drops when an <see cref="HttpClient"/>
    /// follows a redirect: the client was handed an <see cref="HttpClient"/> that may follow one to another origin.
    /// </param>
    void ApplyKey(HttpRequestHeaders headers, string apiKey, bool keyOnlyInAuthorization);

    /// <summary>Reads the error a non-success response's body describes, in the protocol's error shape.</summary>
    /// <param name="body">The body, possibly empty, HTML or cut short.</param>
    /// <returns>What the body says; all <see langword="null"/> when it says nothing readable.</returns>
    ErrorBody ReadHttpError(ReadOnlySpan<byte> body);

    /// <summary>Creates the stateful mapper of one response, streamed or complete, to <paramref name="call"/>, which <see cref="CreateCall"/> built from <paramref name="request"/>.</summary>
    IStreamMapper CreateStreamMapper(ChatRequest request, WireRequest call);
}
