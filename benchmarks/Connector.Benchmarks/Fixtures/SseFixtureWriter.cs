using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace YuHuan.Connector.Benchmarks.Fixtures;

/// <summary>Writes the server-sent events of a recorded-like stream: JSON written as the APIs write it (raw UTF-8,
/// nothing escaped beyond what JSON requires).</summary>
internal static class SseFixtureWriter
{
    /// <summary>The JSON writer settings of every fixture.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <c>event: type</c> (when <paramref name="eventType"/> is given), <c>data: {…}</c> with the members
    /// <paramref name="writeMembers"/> writes, then a blank line.</summary>
    public static void WriteEvent(ArrayBufferWriter<byte> output, string? eventType, Action<Utf8JsonWriter> writeMembers)
    {
        if (eventType is not null)
        {
            output.Write("event: "u8);
            output.Write(Encoding.UTF8.GetBytes(eventType));
            output.Write("\n"u8);
        }

        output.Write("data: "u8);
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            w.WriteStartObject();
            writeMembers(w);
            w.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}
