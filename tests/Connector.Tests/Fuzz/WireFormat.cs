using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// One protocol as the fuzz and reliability suites see it: the client setting that selects it, and the emulator's
/// own renderer of a protocol-neutral <see cref="EmulatorReply"/> script into that protocol's events, framed by the
/// emulator's own SSE framing, so the bytes are those the live emulator sends.
/// </summary>
public abstract class WireFormat
{
    /// <summary>The model every offline rendering reports.</summary>
    internal const string Model = "fuzz-model";

    /// <summary>The creation time every offline rendering reports, in Unix seconds.</summary>
    internal const long Created = 1_700_000_000;

    /// <summary>Gets the protocol the client is set to.</summary>
    public abstract YuHuanProtocol Protocol { get; }

    /// <summary>Gets the emulator's renderer of the protocol.</summary>
    internal abstract IProtocolRenderer Renderer { get; }

    /// <summary>Renders the events of a streamed reply, in order, the way the emulator sends them (unframed).</summary>
    internal IEnumerable<SseEvent> RenderStream(EmulatorReply reply) => Renderer.RenderStream(reply, Context(reply));

    /// <summary>Renders the body of the reply to a non-streaming request: one complete JSON object.</summary>
    internal byte[] RenderCompletion(EmulatorReply reply) => Renderer.RenderCompletion(reply, Context(reply));

    /// <summary>Serializes each event of a streamed reply to its bytes (a comment line first when the reply has them, the blank line after it included).</summary>
    internal IReadOnlyList<byte[]> RenderEvents(EmulatorReply reply) =>
        [.. RenderStream(reply).Select(e => SseFraming.Frame(e, reply))];

    /// <summary>Serializes a streamed reply to the bytes of its body, with the reply's line ending and comment lines.</summary>
    internal byte[] RenderBody(EmulatorReply reply) => [.. RenderEvents(reply).SelectMany(e => e)];

    /// <inheritdoc />
    public override string ToString() => Protocol.ToString();

    /// <summary>A fresh context per rendering, so made-up ids are numbered from 1 each time.</summary>
    private RenderContext Context(EmulatorReply reply) => RenderContext.For(Renderer, reply, reply.Model ?? Model, Created, new IdCounter());
}
