using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// Maps one response onto updates, in order: the server-sent events of a stream one by one, or a complete
/// (non-streamed) response object as the updates a stream of it would have given.
/// </summary>
internal interface IStreamMapper
{
    /// <summary>Gets a value indicating whether the protocol's terminal event was seen; nothing after it is read.</summary>
    bool IsCompleted { get; }

    /// <summary>Maps one event. Returns <see langword="null"/> when the event carries nothing for the caller yet.</summary>
    /// <param name="eventType">The UTF-8 value of the event's <c>event:</c> field; empty when it has none (SSE's default type, <c>message</c>).</param>
    /// <param name="data">The UTF-8 data of the event, its lines joined by <c>\n</c>.</param>
    /// <exception cref="YuHuanApiException">The event is an error or cannot be read.</exception>
    ChatResponseUpdate? OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data);

    /// <summary>Called when the body ended before <see cref="IsCompleted"/>: returns what is still pending, or throws when the stream was cut off.</summary>
    /// <exception cref="YuHuanApiException">The stream ended before the protocol's terminal event.</exception>
    ChatResponseUpdate? OnEndOfStream();

    /// <summary>Maps one complete response object into <paramref name="updates"/>.</summary>
    /// <exception cref="YuHuanApiException">The object is an error or cannot be read.</exception>
    void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates);
}
