using YuHuan.Connector.Http;

namespace YuHuan.Connector.Responses;

/// <summary>Writes a Responses request body (<c>POST responses</c>).</summary>
internal static class ResponsesRequestWriter
{
    /// <summary>Writes the JSON body of <paramref name="request"/>.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol, or no model is set anywhere.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request) => throw new NotSupportedException("Being written.");

    /// <summary>
    /// Gets a value indicating whether the response will be stored by the server (so its id may be named by a later
    /// <c>previous_response_id</c>): unless <c>store</c> is <see langword="false"/> in the additional properties or the raw base body.
    /// </summary>
    public static bool IsStored(ChatRequest request) => true;
}
