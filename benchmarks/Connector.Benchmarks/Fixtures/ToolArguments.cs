using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace YuHuan.Connector.Benchmarks.Fixtures;

/// <summary>The arguments of the tool-call cases: the same calls, fragmented in each protocol's own way.</summary>
internal static class ToolArguments
{
    /// <summary>A JSON object of about <paramref name="length"/> characters: a few scalar fields, an array of
    /// numbers and a long note with escapes and non-ASCII text, so fragment boundaries fall inside escape sequences.</summary>
    public static string Json(string place, int length, int seed)
    {
        var buffer = new ArrayBufferWriter<byte>(length * 2);
        using (var w = new Utf8JsonWriter(buffer, SseFixtureWriter.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("location", place);
            w.WriteString("unit", "celsius");
            w.WriteNumber("days", 7 + seed);
            w.WriteBoolean("include_alerts", seed % 2 == 1);
            w.WriteStartArray("hours");
            for (var h = 0; h < 24; h++)
            {
                w.WriteNumberValue((h * seed) % 24);
            }

            w.WriteEndArray();
            var note = new StringBuilder();
            var pieces = TextPieces.Create(length);
            for (var i = 0; note.Length < length - 200; i++)
            {
                note.Append(pieces[(i + seed) % pieces.Length]);
            }

            w.WriteString("note", note.ToString());
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
