using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Fixtures;

/// <summary>One pre-built response stream: the exact bytes every client reads, and what they contain.</summary>
internal sealed class StreamFixture
{
    /// <summary>Gets the protocol the bytes are in.</summary>
    public required YuHuanProtocol Protocol { get; init; }

    /// <summary>Gets the request path the protocol posts to, relative to the base address (<c>chat/completions</c>).</summary>
    public required string RelativePath { get; init; }

    /// <summary>Gets the whole response body, server-sent events.</summary>
    public required byte[] Body { get; init; }

    /// <summary>Gets the number of events (chunks) in the body, end marker included.</summary>
    public required int Events { get; init; }

    /// <summary>Gets the JSON property names whose string values the floor extracts as deltas.</summary>
    public required string[] DeltaProperties { get; init; }

    /// <summary>Gets what a correct client reports.</summary>
    public required StreamExpectation Expected { get; init; }
}
