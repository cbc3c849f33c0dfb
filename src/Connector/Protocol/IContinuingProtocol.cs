using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>A protocol with background responses, which a <see cref="ResponseContinuationToken"/> resumes (streamed) or polls (complete).</summary>
internal interface IContinuingProtocol : IChatProtocol
{
    /// <summary>
    /// Builds the call that resumes (when <paramref name="stream"/>) or polls the background response <paramref name="token"/>
    /// names, after the position the token holds.
    /// </summary>
    /// <param name="token">A token this protocol's mapper made (possibly after the caller stored it).</param>
    /// <param name="model">The model to log the call under, if known.</param>
    /// <param name="stream">Whether an event stream is asked for.</param>
    /// <exception cref="ArgumentException">The token is not one of this protocol's tokens.</exception>
    WireRequest CreateContinuation(ResponseContinuationToken token, string? model, bool stream);
}
