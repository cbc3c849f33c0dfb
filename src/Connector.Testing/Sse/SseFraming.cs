using System.Buffers;
using System.Text;

namespace YuHuan.Connector.Testing;

/// <summary>
/// The bytes of server-sent events as the emulator frames them, shared by the live response writer and by
/// anything that renders a stream offline, so both produce the same bytes: an optional comment line, an
/// <c>event:</c> line when the event has a type, one <c>data:</c> line and a blank line, each ended by the
/// reply's line ending.
/// </summary>
internal static class SseFraming
{
    /// <summary>The filler byte of padding events.</summary>
    public const byte FillerByte = (byte)'x';

    /// <summary>Gets the comment line sent before each event when a reply asks for comments.</summary>
    public static ReadOnlySpan<byte> Comment => ": PROCESSING"u8;

    private static ReadOnlySpan<byte> EventPrefix => "event: "u8;

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    /// <summary>Returns the bytes of a reply's line ending.</summary>
    public static byte[] LineEnding(EmulatorReply reply) => Encoding.ASCII.GetBytes(reply.LineEnding);

    /// <summary>Writes a comment line and the blank line after it.</summary>
    public static void WriteComment(IBufferWriter<byte> output, ReadOnlySpan<byte> lineEnding)
    {
        output.Write(Comment);
        output.Write(lineEnding);
        output.Write(lineEnding);
    }

    /// <summary>Writes what comes before a padding event's filler: the <c>event:</c> line, <c>data: </c> and the
    /// payload (of an ordinary event, all of it).</summary>
    public static void WriteHead(IBufferWriter<byte> output, SseEvent sseEvent, ReadOnlySpan<byte> lineEnding)
    {
        if (sseEvent.EventType is { } eventType)
        {
            output.Write(EventPrefix);
            output.Write(Encoding.UTF8.GetBytes(eventType));
            output.Write(lineEnding);
        }

        output.Write(DataPrefix);
        output.Write(sseEvent.Data.Span);
    }

    /// <summary>Writes what comes after the payload: the end of a padding payload, the line ending and the blank line.</summary>
    public static void WriteTail(IBufferWriter<byte> output, SseEvent sseEvent, ReadOnlySpan<byte> lineEnding)
    {
        if (sseEvent.PaddingBytes is not null)
        {
            output.Write(SseEvent.PaddingSuffix);
        }

        output.Write(lineEnding);
        output.Write(lineEnding);
    }

    /// <summary>Frames one event of <paramref name="reply"/> in memory, as the emulator would send it: the comment
    /// line first when the reply has them, a padding event's filler included.</summary>
    public static byte[] Frame(SseEvent sseEvent, EmulatorReply reply)
    {
        var lineEnding = LineEnding(reply);
        var buffer = new ArrayBufferWriter<byte>(sseEvent.Data.Length + 64);
        if (reply.EmitComments)
        {
            WriteComment(buffer, lineEnding);
        }

        WriteHead(buffer, sseEvent, lineEnding);
        if (sseEvent.PaddingBytes is { } padding)
        {
            var filler = buffer.GetSpan(checked((int)padding))[..(int)padding];
            filler.Fill(FillerByte);
            buffer.Advance((int)padding);
        }

        WriteTail(buffer, sseEvent, lineEnding);
        return buffer.WrittenSpan.ToArray();
    }
}
