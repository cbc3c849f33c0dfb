namespace YuHuan.Connector.Testing;

/// <summary>One server-sent event: an optional <c>event:</c> type and a single-line <c>data:</c> payload.</summary>
/// <param name="EventType">The event type, or <see langword="null"/> to send no <c>event:</c> line.</param>
/// <param name="Data">The UTF-8 payload, without line breaks.</param>
internal sealed record SseEvent(string? EventType, ReadOnlyMemory<byte> Data);
