using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace YuHuan.Connector.Testing;

/// <summary>Reads and writes the cassette file format that <see cref="Cassette"/> describes.</summary>
internal static class CassetteFormat
{
    /// <summary>The version this library writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Headers that frame a body on the wire, which a cassette never keeps: it holds the body decoded, and a
    /// replay frames it itself.</summary>
    private static readonly HashSet<string> FramingHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Content-Encoding", "Connection", "Keep-Alive", "TE", "Trailer", "Upgrade",
    };

    private static readonly JsonWriterOptions LineOptions = new()
    {
        // Readable in a review: only what JSON requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes the header line and every exchange, numbered from 1 in order.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<CassetteExchange> exchanges)
    {
        writer.Write("{\"yuhuan_cassette\":");
        writer.Write(Version.ToString(CultureInfo.InvariantCulture));
        writer.Write("}\n");
        var buffer = new ArrayBufferWriter<byte>(1024);
        for (var i = 0; i < exchanges.Count; i++)
        {
            WriteExchange(writer, buffer, i + 1, exchanges[i]);
        }
    }

    /// <summary>Reads a cassette; <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="InvalidDataException">The text is not a cassette.</exception>
    public static Cassette Read(TextReader reader, string? source)
    {
        var builders = new SortedDictionary<int, CassetteExchangeBuilder>();
        var lineNumber = 0;
        var sawHeader = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException("a line must be a JSON object");
                }

                if (!sawHeader)
                {
                    ReadHeader(root);
                    sawHeader = true;
                    continue;
                }

                var number = root.TryGetProperty("exchange", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var value) && value > 0
                    ? value
                    : throw new InvalidDataException("\"exchange\" must be a positive number");
                if (!builders.TryGetValue(number, out var builder))
                {
                    builders[number] = builder = new CassetteExchangeBuilder(number, Where(source, lineNumber));
                }

                builder.Add(root);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"{Where(source, lineNumber)} is not a cassette line: {Reason(ex)}.", ex);
            }
        }

        if (!sawHeader)
        {
            throw new InvalidDataException($"{source ?? "The text"} is not a cassette: it has no {{\"yuhuan_cassette\":{Version}}} line.");
        }

        var exchanges = new List<CassetteExchange>(builders.Count);
        foreach (var builder in builders.Values)
        {
            exchanges.Add(builder.Build());
        }

        return new Cassette(exchanges);
    }

    /// <summary>Gets a value indicating whether a header frames the body on the wire (and so is never kept).</summary>
    public static bool IsFraming(string headerName) => FramingHeaders.Contains(headerName);

    /// <summary>Gets a value indicating whether a request body is kept as raw JSON: JSON on one line, with no space around
    /// it (which the raw value would not keep); any other body is kept as text.</summary>
    public static bool IsEmbeddableJson(CassetteRequest request)
    {
        var body = request.Body;
        return body.Length > 0
            && !char.IsWhiteSpace(body[0])
            && !char.IsWhiteSpace(body[^1])
            && !body.Contains('\n', StringComparison.Ordinal)
            && !body.Contains('\r', StringComparison.Ordinal)
            && request.Json.ValueKind != JsonValueKind.Undefined;
    }

    /// <summary>Decodes bytes as UTF-8, or returns <see langword="null"/> when they are not valid UTF-8.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes) =>
        Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static void WriteExchange(TextWriter writer, ArrayBufferWriter<byte> buffer, int number, CassetteExchange exchange)
    {
        var request = exchange.Request;
        WriteLine(writer, buffer, number, "request", json =>
        {
            json.WriteString("method", request.Method);
            json.WriteString("path", request.Path);
            json.WriteString("query", request.Query);
            if (IsEmbeddableJson(request))
            {
                // Parsed already (the request's Json), so not validated again.
                json.WritePropertyName("body");
                json.WriteRawValue(request.Body, skipInputValidation: true);
            }
            else
            {
                json.WriteString("body_text", request.Body);
            }
        });

        if (exchange.Response is { } response)
        {
            WriteLine(writer, buffer, number, "response", json =>
            {
                WriteTime(json, response.HeadersAt);
                json.WriteNumber("status", response.StatusCode);
                json.WriteStartObject("headers");
                foreach (var (name, value) in response.Headers)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                if (response.ContentLength is { } length)
                {
                    json.WriteNumber("length", length);
                }
            });

            foreach (var chunk in response.Chunks)
            {
                if (TryDecode(chunk.Data) is not { } text)
                {
                    WriteLine(writer, buffer, number, "chunk", json =>
                    {
                        WriteTime(json, chunk.At);
                        json.WriteBase64String("base64", chunk.Data);
                    });
                    continue;
                }

                // One line per server-sent event, for a reviewer: a piece that held several goes on in "continues" lines.
                var first = true;
                foreach (var part in SplitAfterEvents(text))
                {
                    var continues = !first;
                    WriteLine(writer, buffer, number, "chunk", json =>
                    {
                        if (continues)
                        {
                            json.WriteBoolean("continues", true);
                        }
                        else
                        {
                            WriteTime(json, chunk.At);
                        }

                        json.WriteString("text", part);
                    });
                    first = false;
                }
            }
        }

        WriteLine(writer, buffer, number, "end", json =>
        {
            WriteTime(json, exchange.EndedAt);
            json.WriteString("outcome", OutcomeName(exchange.Outcome));
            if (exchange.Failure is { } failure)
            {
                json.WriteString("error", failure);
            }
        });
    }

    /// <summary>Splits text after each blank line that ends a server-sent event (<c>\n\n</c>, <c>\r\n\r\n</c>, <c>\r\r</c>); the parts
    /// joined are the text.</summary>
    private static IEnumerable<string> SplitAfterEvents(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            var end = text[i] == '\n' && text[i + 1] == '\n' ? i + 2
                : text[i] == '\r' && text[i + 1] == '\r' ? i + 2
                : text[i] == '\r' && text[i + 1] == '\n' && i + 3 < text.Length && text[i + 2] == '\r' && text[i + 3] == '\n' ? i + 4
                : -1;
            if (end > 0 && end < text.Length)
            {
                yield return text[start..end];
                start = end;
                i = end - 1;
            }
        }

        yield return text[start..];
    }

    private static void WriteLine(TextWriter writer, ArrayBufferWriter<byte> buffer, int number, string kind, Action<Utf8JsonWriter> writeFields)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, LineOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("exchange", number);
            json.WriteStartObject(kind);
            writeFields(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        writer.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        writer.Write('\n');
    }

    private static void WriteTime(Utf8JsonWriter json, TimeSpan at) =>
        json.WriteNumber("at_ms", Math.Round(at.TotalMilliseconds, 1));

    public static string OutcomeName(CassetteOutcome outcome) => outcome switch
    {
        CassetteOutcome.Complete => "complete",
        CassetteOutcome.Cut => "cut",
        CassetteOutcome.Abandoned => "abandoned",
        _ => "failed",
    };

    public static CassetteOutcome ParseOutcome(string? name) => name switch
    {
        "complete" => CassetteOutcome.Complete,
        "cut" => CassetteOutcome.Cut,
        "abandoned" => CassetteOutcome.Abandoned,
        "failed" => CassetteOutcome.Failed,
        _ => throw new InvalidDataException($"unknown outcome \"{name}\"; expected complete, cut, abandoned or failed"),
    };

    private static void ReadHeader(JsonElement root)
    {
        if (!root.TryGetProperty("yuhuan_cassette", out var version) || version.ValueKind != JsonValueKind.Number)
        {
            throw new InvalidDataException($"the first line must be {{\"yuhuan_cassette\":{Version}}}");
        }

        if (!version.TryGetInt32(out var number) || number != Version)
        {
            throw new InvalidDataException($"version {version.GetRawText()} is not supported; this library reads version {Version}");
        }
    }

    private static string Where(string? source, int line) =>
        source is null ? $"Line {line}" : $"Line {line} of '{source}'";

    private static string Reason(Exception ex) => ex.Message.TrimEnd('.');

    /// <summary>Reads a time to the nearest tick (a tenth of a millisecond read as milliseconds may fall a tick short).</summary>
    public static TimeSpan ReadTime(JsonElement fields) =>
        fields.TryGetProperty("at_ms", out var at) && at.ValueKind == JsonValueKind.Number
            ? TimeSpan.FromTicks((long)Math.Round(Math.Clamp(at.GetDouble(), 0, TimeSpan.MaxValue.TotalMilliseconds / 2) * TimeSpan.TicksPerMillisecond))
            : throw new InvalidDataException("\"at_ms\" must be a number");

    public static string ReadString(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"\"{name}\" must be a string");
}
