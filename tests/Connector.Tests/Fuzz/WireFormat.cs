using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// One landed protocol as the fuzz suites see it: the client setting that selects it, and the emulator's
/// renderer of a protocol-neutral <see cref="EmulatorReply"/> script into that protocol's events.
/// </summary>
public abstract class WireFormat
{
    /// <summary>Gets the protocol the client is set to.</summary>
    public abstract YuHuanProtocol Protocol { get; }

    /// <summary>Renders the events of a streamed reply, in order, the way the emulator sends them.</summary>
    internal abstract IEnumerable<SseEvent> RenderStream(EmulatorReply reply);

    /// <summary>Renders the body of the reply to a non-streaming request: one complete JSON object.</summary>
    internal abstract byte[] RenderCompletion(EmulatorReply reply);

    /// <summary>Serializes each event of a streamed reply to its bytes (a comment line first when the reply has them, the blank line after it included).</summary>
    internal IReadOnlyList<byte[]> RenderEvents(EmulatorReply reply)
    {
        var eol = System.Text.Encoding.ASCII.GetBytes(reply.LineEnding);
        var events = new List<byte[]>();
        foreach (var sseEvent in RenderStream(reply))
        {
            using var bytes = new MemoryStream();
            if (reply.EmitComments)
            {
                bytes.Write(": PROCESSING"u8);
                bytes.Write(eol);
                bytes.Write(eol);
            }

            if (sseEvent.EventType is { } eventType)
            {
                bytes.Write("event: "u8);
                bytes.Write(System.Text.Encoding.UTF8.GetBytes(eventType));
                bytes.Write(eol);
            }

            bytes.Write("data: "u8);
            bytes.Write(sseEvent.Data.Span);
            bytes.Write(eol);
            bytes.Write(eol);
            events.Add(bytes.ToArray());
        }

        return events;
    }

    /// <summary>Serializes a streamed reply to the bytes of its body, with the reply's line ending and comment lines.</summary>
    internal byte[] RenderBody(EmulatorReply reply) => [.. RenderEvents(reply).SelectMany(e => e)];

    /// <inheritdoc />
    public override string ToString() => Protocol.ToString();
}
