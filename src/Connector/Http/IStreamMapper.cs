using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Http;

/// <summary>
/// Maps one response onto updates, in order: the server-sent events of a stream one by one, or a complete
/// (non-streamed) response object as the updates a stream of it would have given.
/// </summary>
internal interface IStreamMapper
{
    /// <summary>Gets a value indicating whether the protocol's terminal event was seen; nothing after it is read.</summary>
    bool IsCompleted { get; }

    /// <summary>
    /// Gets the token that resumes the response after the last event mapped, or <see langword="null"/> when the response
    /// is complete or cannot be resumed (it is not a background response, or its id is not known yet).
    /// </summary>
    ResponseContinuationToken? Continuation { get; }

    /// <summary>
    /// Gets the position <see cref="Continuation"/> resumes after (Responses: the last <c>sequence_number</c> read), or -1
    /// when none is known. It grows only when an event is read that was not read before: a resumption that leaves it where
    /// it was made no progress.
    /// </summary>
    long ResumePosition { get; }

    /// <summary>Maps one event. Returns <see langword="null"/> when the event carries nothing for the caller yet.</summary>
    /// <exception cref="YuHuanApiException">The event is an error or cannot be read.</exception>
    ChatResponseUpdate? OnEvent(string eventType, ReadOnlySpan<byte> data);

    /// <summary>Called when the body ended before <see cref="IsCompleted"/>: returns what is still pending, or throws when the stream was cut off.</summary>
    /// <exception cref="YuHuanApiException">The stream ended before the protocol's terminal event.</exception>
    ChatResponseUpdate? OnEndOfStream();

    /// <summary>Maps one complete response object into <paramref name="updates"/>.</summary>
    /// <exception cref="YuHuanApiException">The object is an error or cannot be read.</exception>
    void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates);
}
