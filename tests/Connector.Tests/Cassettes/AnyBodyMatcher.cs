using System.Collections.Concurrent;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>A matcher of a test's own: any request to the recorded method and path matches, whatever its body; it keeps
/// every comparison it was asked for.</summary>
internal sealed class AnyBodyMatcher : ICassetteMatcher
{
    private readonly ConcurrentQueue<(CassetteRequest Recorded, CassetteRequest Live)> _calls = new();

    /// <summary>Gets the comparisons asked for, in order.</summary>
    public IReadOnlyList<(CassetteRequest Recorded, CassetteRequest Live)> Calls => [.. _calls];

    /// <inheritdoc/>
    public CassetteComparison Compare(CassetteRequest recorded, CassetteRequest live)
    {
        _calls.Enqueue((recorded, live));
        return recorded.Method == live.Method && recorded.Path == live.Path
            ? CassetteComparison.Match
            : CassetteComparison.Mismatch("path differs", 0);
    }
}
