using System.Globalization;
using System.Text.Json;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>Writes the lines of a cassette file by hand, so a test states the exact times, bodies and outcomes it replays.</summary>
internal static class CassetteText
{
    /// <summary>The first line of every cassette.</summary>
    public const string Header = "{\"yuhuan_cassette\":1}";

    /// <summary>Reads the lines as a cassette.</summary>
    public static Cassette Read(params string[] lines) => Cassette.Read(new StringReader(string.Join('\n', [Header, .. lines])));

    /// <summary>A request line; a body that is JSON on one line is embedded, any other is a string.</summary>
    public static string Request(int exchange, string method, string path, string query = "", string body = "") =>
        Line(exchange, "request", $"\"method\":{Quote(method)},\"path\":{Quote(path)},\"query\":{Quote(query)},"
            + (body.Length > 0 && body[0] == '{' && !body.Contains('\n', StringComparison.Ordinal) ? $"\"body\":{body}" : $"\"body_text\":{Quote(body)}"));

    /// <summary>A response line; <paramref name="headers"/> alternate names and values.</summary>
    public static string Response(int exchange, double atMs, int status, long? length = null, params string[] headers)
    {
        var pairs = string.Join(',', headers.Chunk(2).Select(h => $"{Quote(h[0])}:{Quote(h[1])}"));
        var declared = length is { } l ? string.Create(CultureInfo.InvariantCulture, $",\"length\":{l}") : string.Empty;
        return Line(exchange, "response", string.Create(CultureInfo.InvariantCulture, $"\"at_ms\":{atMs},\"status\":{status},\"headers\":{{{pairs}}}{declared}"));
    }

    /// <summary>A chunk line.</summary>
    public static string Chunk(int exchange, double atMs, string text) =>
        Line(exchange, "chunk", string.Create(CultureInfo.InvariantCulture, $"\"at_ms\":{atMs},\"text\":{Quote(text)}"));

    /// <summary>An end line.</summary>
    public static string End(int exchange, double atMs, string outcome = "complete", string? error = null) =>
        Line(exchange, "end", string.Create(CultureInfo.InvariantCulture, $"\"at_ms\":{atMs},\"outcome\":{Quote(outcome)}") + (error is null ? string.Empty : $",\"error\":{Quote(error)}"));

    /// <summary>The lines of a whole exchange answered at once: a response at 1 ms with a content type, one chunk at 2 ms, the end at 3 ms.</summary>
    public static string[] Answered(int exchange, string method, string path, string body, int status, string answer, string query = "") =>
    [
        Request(exchange, method, path, query, body),
        Response(exchange, 1, status, null, "Content-Type", "text/plain"),
        Chunk(exchange, 2, answer),
        End(exchange, 3),
    ];

    /// <summary>A time as a cassette keeps it, to the tick.</summary>
    public static TimeSpan Ms(double milliseconds) => TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));

    private static string Line(int exchange, string kind, string fields) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"exchange\":{exchange},\"{kind}\":{{{fields}}}}}");

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
