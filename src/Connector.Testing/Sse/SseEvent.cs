namespace YuHuan.Connector.Testing;

/// <summary>One server-sent event: an optional <c>event:</c> type and a single-line <c>data:</c> payload.</summary>
/// <param name="EventType">The event type, or <see langword="null"/> to send no <c>event:</c> line.</param>
/// <param name="Data">The UTF-8 payload, without line breaks; for a padding event, the payload up to the filler.</param>
internal sealed record SseEvent(string? EventType, ReadOnlyMemory<byte> Data)
{
    /// <summary>The payload that comes after the filler of a padding event: the closing quote and brace.</summary>
    public static ReadOnlySpan<byte> PaddingSuffix => "\"}"u8;

    /// <summary>
    /// Gets the number of filler bytes of a padding event, whose payload is <see cref="Data"/>, then that many
    /// <c>x</c>, then <see cref="PaddingSuffix"/>, and is written piece by piece rather than held in memory;
    /// <see langword="null"/> for an ordinary event, whose payload is <see cref="Data"/>.
    /// </summary>
    public long? PaddingBytes { get; init; }

    /// <summary>Creates a padding event: <paramref name="payloadPrefix"/> (JSON up to the opening quote of a string
    /// value), <paramref name="bytes"/> filler bytes, then the closing quote and brace.</summary>
    public static SseEvent Padding(string? eventType, ReadOnlyMemory<byte> payloadPrefix, long bytes) =>
        new(eventType, payloadPrefix) { PaddingBytes = bytes };
}
