using System.Text;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>Builds server-sent event streams for replay tests.</summary>
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

    /// <summary>Joins <c>data:</c> events (or raw lines starting with ':' or 'event:') with the given line ending.</summary>
    public static string Stream(string lineEnding, params string[] events)
    {
        var builder = new StringBuilder();
        foreach (var e in events)
        {
            if (e.StartsWith(':') || e.StartsWith("event:", StringComparison.Ordinal))
            {
                builder.Append(e).Append(lineEnding);
                continue;
            }

            builder.Append("data: ").Append(e).Append(lineEnding).Append(lineEnding);
        }

        return builder.ToString();
    }

    /// <summary>A chunk with the usual envelope around one choice.</summary>
    public static string Chunk(string delta, string? finishReason = null, string id = "chatcmpl-1", string model = "m-1") =>
        $$"""{"id":"{{id}}","object":"chat.completion.chunk","created":1700000000,"model":"{{model}}","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finishReason is null ? "null" : "\"" + finishReason + "\"")}}}]}""";
}
