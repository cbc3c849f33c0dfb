using System.Net.ServerSentEvents;
using System.Text.Json;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>One event of a rendered or served stream, parsed back with the platform's SSE parser.</summary>
/// <param name="Type">The event type; <c>message</c> when the event had no <c>event:</c> line.</param>
/// <param name="Data">The raw <c>data:</c> payload.</param>
internal sealed record RenderedEvent(string Type, string Data)
{
    /// <summary>Gets the payload parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    /// <summary>Parses a whole stream body into its events.</summary>
    public static RenderedEvent[] Parse(byte[] body)
    {
        using var stream = new MemoryStream(body);
        return [.. SseParser.Create(stream).Enumerate().Select(item => new RenderedEvent(item.EventType, item.Data))];
    }
}
