using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// Server-sent event framing for replay tests, protocol-neutral: events joined with a chosen line ending, and the
/// delivery matrix every stream case runs across. Each protocol's folder builds its payloads on it.
/// </summary>
internal static class Sse
{
    /// <summary>The delivery matrix every stream case runs across: line ending × whole or one byte per read.</summary>
    public static TheoryData<string, int> Deliveries => new()
    {
        { "\n", int.MaxValue },
        { "\n", 1 },
        { "\r\n", int.MaxValue },
        { "\r\n", 1 },
        { "\r", 1 },
    };

    /// <summary>
    /// Joins events with <paramref name="lineEnding"/>: an item starting with <c>:</c> (a comment) or <c>event:</c> is
    /// written as one line; an item starting with <c>data:</c> is written as it is and ends an event; any other item is
    /// the payload of a <c>data:</c> line that ends an event.
    /// </summary>
    public static string Stream(string lineEnding, params string[] events)
    {
        var builder = new StringBuilder();
        foreach (var e in events)
        {
            if (e.StartsWith(':') || e.StartsWith("event:", StringComparison.Ordinal))
            {
                builder.Append(e).Append(lineEnding);
            }
            else if (e.StartsWith("data:", StringComparison.Ordinal))
            {
                builder.Append(e).Append(lineEnding).Append(lineEnding);
            }
            else
            {
                builder.Append("data: ").Append(e).Append(lineEnding).Append(lineEnding);
            }
        }

        return builder.ToString();
    }

    /// <summary>Returns the items of <see cref="Stream"/> of one event named <paramref name="eventType"/>: its <c>event:</c> line and its payload.</summary>
    public static string[] Event(string eventType, string data) => ["event: " + eventType, data];

    /// <summary>Reads the <c>type</c> field of a JSON event payload, which protocols that name their events repeat there.</summary>
    public static string TypeOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("type").GetString()!;
    }
}
