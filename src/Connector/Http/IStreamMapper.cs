using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Http;

/// <summary>Maps the server-sent events of one streamed response onto updates, in order.</summary>
internal interface IStreamMapper
{
    /// <summary>Gets a value indicating whether the protocol's terminal event was seen; nothing after it is read.</summary>
    bool IsCompleted { get; }

    /// <summary>Maps one event. Returns <see langword="null"/> when the event carries nothing for the caller yet.</summary>
    /// <exception cref="YuHuanApiException">The event is an error or cannot be read.</exception>
    ChatResponseUpdate? OnEvent(string eventType, ReadOnlySpan<byte> data);

    /// <summary>Called when the body ended before <see cref="IsCompleted"/>: returns what is still pending, or throws when the stream was cut off.</summary>
    /// <exception cref="YuHuanApiException">The stream ended before the protocol's terminal event.</exception>
    ChatResponseUpdate? OnEndOfStream();
}
