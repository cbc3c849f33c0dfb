namespace YuHuan.Connector.Testing;

/// <summary>One server-sent event: an optional <c>event:</c> type and a single-line <c>data:</c> payload.</summary>
/// <param name="EventType">The event type, or <see langword="null"/> to send no <c>event:</c> line.</param>
/// <param name="Data">The UTF-8 payload, without line breaks.</param>
internal sealed record SseEvent(string? EventType, ReadOnlyMemory<byte> Data)
{
    /// <summary>The payload that comes before the filler of a padding event.</summary>
    public static ReadOnlySpan<byte> PaddingPrefix => "{\"padding\":\""u8;

    /// <summary>The payload that comes after the filler of a padding event.</summary>
    public static ReadOnlySpan<byte> PaddingSuffix => "\"}"u8;

    /// <summary>
    /// Gets the number of filler bytes of a padding event, whose payload is <c>{"padding":"xxx…"}</c> and is
    /// written piece by piece rather than held in memory; <see langword="null"/> for an ordinary event, whose
    /// payload is <see cref="Data"/>.
    /// </summary>
    public long? PaddingBytes { get; init; }

    /// <summary>Creates a padding event with <paramref name="bytes"/> filler bytes.</summary>
    public static SseEvent Padding(long bytes) => new(null, ReadOnlyMemory<byte>.Empty) { PaddingBytes = bytes };
}
