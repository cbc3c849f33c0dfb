using System.Net.Http.Headers;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Http;

/// <summary>One wire protocol of the gateway: how a request is written and how its answers are read.</summary>
internal interface IChatProtocol
{
    /// <summary>Gets the path of the protocol's endpoint, relative to the base address.</summary>
    string RelativePath { get; }

    /// <summary>Gets the protocol's name, as used in messages.</summary>
    string Name { get; }

    /// <summary>Adds the authentication and protocol headers.</summary>
    void ApplyHeaders(HttpRequestHeaders headers, string? apiKey);

    /// <summary>Writes the JSON request body.</summary>
    ReadOnlyMemory<byte> WriteRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, string? defaultModelId, bool stream, IChatClient client);

    /// <summary>Creates the stateful mapper of one streamed response.</summary>
    IStreamMapper CreateStreamMapper();

    /// <summary>Reads one complete, non-streamed response as the updates a stream of it would have given.</summary>
    IReadOnlyList<ChatResponseUpdate> ReadResponse(ReadOnlySpan<byte> json);
}
