using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>What a call gave its caller: the updates of a stream (as far as it got), the response, and the error that ended
/// the call, if any.</summary>
/// <param name="Streamed">Whether the call streamed.</param>
/// <param name="Updates">The updates that arrived, in order; empty when the call did not stream.</param>
/// <param name="Response">The response: the one returned, or the updates joined; <see langword="null"/> when a call that
/// did not stream failed.</param>
/// <param name="Error">The exception the call threw, or <see langword="null"/>.</param>
internal sealed record CallResult(bool Streamed, IReadOnlyList<ChatResponseUpdate> Updates, ChatResponse? Response, Exception? Error)
{
    /// <summary>Gets everything the caller saw, to compare: the updates (or the response) serialized, then the error as
    /// <see cref="CassetteRoundTrip.Describe"/> gives it.</summary>
    public string Observed => (Streamed ? CassetteRoundTrip.Serialize(Updates) : CassetteRoundTrip.Serialize(Response)) + "\n" + CassetteRoundTrip.Describe(Error);
}
