using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>Renders JSON with <see cref="Utf8JsonWriter"/>, the way every emulator payload is written.</summary>
internal static class EmulatorJson
{
    // Non-ASCII text goes out as raw UTF-8, as real servers send it, so a client's decoding across chunk
    // boundaries is exercised.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs <paramref name="write"/> against a fresh writer and returns the UTF-8 bytes it wrote.</summary>
    public static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a string property, or <c>null</c> when <paramref name="value"/> is <see langword="null"/>.</summary>
    public static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>
    /// Renders the nested error body several protocols share: <c>{"error":{"message","type","code","param"}}</c>, a missing
    /// code or param <c>null</c>.
    /// </summary>
    public static byte[] RenderNestedError(ReplyError error) => Render(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("error");
        w.WriteStartObject();
        w.WriteString("message", error.Message);
        w.WriteString("type", error.Type);
        WriteStringOrNull(w, "code", error.Code);
        WriteStringOrNull(w, "param", error.Param);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>Parses a body as JSON, or returns <see langword="default"/> (<see cref="JsonValueKind.Undefined"/>) when it is
    /// empty or not JSON.</summary>
    public static JsonElement TryParse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return default;
        }

        var reader = new Utf8JsonReader(utf8);
        try
        {
            return JsonElement.ParseValue(ref reader) is var value && !reader.Read() ? value : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
