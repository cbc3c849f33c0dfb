using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>The mapper of a protocol with background responses (<see cref="IContinuingProtocol"/>): it knows where a broken stream resumes.</summary>
internal interface IResumableMapper : IStreamMapper
{
    /// <summary>
    /// Gets the token that resumes the response after the last event mapped, or <see langword="null"/> when the response
    /// is complete or cannot be resumed (it is not a background response, or its id is not known yet).
    /// </summary>
    ResponseContinuationToken? Continuation { get; }

    /// <summary>
    /// Gets the position <see cref="Continuation"/> resumes after (such as the last sequence number read), or -1 when none
    /// is known. It grows only when an event is read that was not read before: a resumption that leaves it where it was
    /// made no progress.
    /// </summary>
    long ResumePosition { get; }
}
