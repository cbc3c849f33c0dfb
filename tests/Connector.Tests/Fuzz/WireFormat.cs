using System.Buffers;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// One protocol as the fuzz and reliability suites see it: the client setting that selects it, and the emulator's
/// own renderer of a protocol-neutral <see cref="EmulatorReply"/> script into that protocol's events, framed by the
/// emulator's own SSE framing, so the bytes are those the live emulator sends. Everything a suite needs to know that
/// differs between protocols is a member here, so the suites themselves hold no protocol's strings.
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

    /// <summary>Gets the path of the protocol's endpoint relative to the base URL, as the emulator serves it.</summary>
    internal string RelativePath => Renderer.Route;

    /// <summary>
    /// Gets the number of events a stream of one text part sends before the event of its first piece (Chat Completions:
    /// the role chunk; Messages: <c>message_start</c>, <c>ping</c> and <c>content_block_start</c>). The pieces then
    /// follow one event each.
    /// </summary>
    internal abstract int EventsBeforeText { get; }

    /// <summary>Gets the number of updates the client yields for those <see cref="EventsBeforeText"/> events.</summary>
    internal abstract int UpdatesBeforeText { get; }

    /// <summary>Gets a value indicating whether the protocol's error objects carry a <c>code</c> (Messages has none).</summary>
    internal abstract bool ErrorsCarryCode { get; }

    /// <summary>
    /// Gets a value indicating whether the protocol's error events carry an error type besides the code (a Responses
    /// <c>error</c> event has only <c>code</c>, which the client then reports as the type too).
    /// </summary>
    internal virtual bool ErrorEventsCarryType => true;

    /// <summary>
    /// Gets a value indicating whether a text or reasoning field holding <paramref name="json"/> (a value of another type
    /// than a string) fails the response as <c>invalid_response</c>; otherwise the protocol reads it as no text (Chat
    /// Completions takes an array as content parts, and reads one without text parts as none; Messages does so for text,
    /// where gateways copy such arrays, but not for reasoning). <paramref name="asReasoning"/> tells which field it is.
    /// </summary>
    internal abstract bool RejectsAsText(string json, bool asReasoning);

    /// <summary>
    /// Gets values full of the protocol's own names (<c>INJECTED</c> wherever a string goes) that are of another type
    /// than the protocol's scalars and of no shape the protocol reads where an object or array belongs: wherever such a
    /// value stands, nothing inside it may be read as content or an id.
    /// </summary>
    internal abstract IReadOnlyList<string> HostileValues { get; }

    /// <summary>Gets lines of the protocol's own to insert into a stream when damaging it: events out of place, odd values, errors.</summary>
    internal abstract IReadOnlyList<string> InterestingLines { get; }

    /// <summary>Returns the request headers that carry <paramref name="apiKey"/>, with their values.</summary>
    internal abstract IReadOnlyDictionary<string, string> KeyHeaders(string apiKey);

    /// <summary>
    /// Returns the headers of <see cref="KeyHeaders"/> that carry <paramref name="apiKey"/> through an <see cref="HttpClient"/>
    /// the caller passed in, which may follow redirects: only <c>Authorization</c>, the header .NET drops on a redirect.
    /// </summary>
    internal IReadOnlyDictionary<string, string> KeyHeadersThroughCallersClient(string apiKey) =>
        KeyHeaders(apiKey).Where(h => h.Key == "Authorization").ToDictionary(h => h.Key, h => h.Value);

    /// <summary>Gets the names of the headers every request of the protocol sends besides the key and the content headers.</summary>
    internal abstract IReadOnlyList<string> ProtocolHeaders { get; }

    /// <summary>Returns the usage the client must report for a script's usage, as far as the protocol can carry it.</summary>
    internal abstract UsageDetails ExpectedUsage(FuzzUsage usage);

    /// <summary>
    /// Returns the finish reason the client reads for a script that sent <paramref name="scripted"/> (<see langword="null"/>
    /// for none): the same, unless the protocol has no field for it and says it otherwise.
    /// </summary>
    internal virtual string? FinishReasonRead(string? scripted, bool hasCalls) => scripted;

    /// <summary>Gets the protocol's name as kept contents record it under <c>yuhuan_protocol</c> (<c>IChatProtocol.Name</c>).</summary>
    internal abstract string KeptProtocolName { get; }

    /// <summary>
    /// Returns what a client must make of a hosted-tool or unknown part of a script in this protocol: the emulator's
    /// renderer leaves out what the protocol has no shape for (<see cref="ExpectedHosted.None"/>).
    /// </summary>
    internal abstract ExpectedHosted ExpectHosted(HostedSpec part);

    /// <summary>Makes a response id in the protocol's own style (the emulator's prefix, then <paramref name="name"/>).</summary>
    internal string ResponseId(string name) => Renderer.ResponseIdPrefix + name;

    /// <summary>Renders the events of a streamed reply, in order, the way the emulator sends them (unframed).</summary>
    internal IEnumerable<SseEvent> RenderStream(EmulatorReply reply) => Renderer.RenderStream(reply, Context(reply));

    /// <summary>Renders the body of the reply to a non-streaming request: one complete JSON object.</summary>
    internal byte[] RenderCompletion(EmulatorReply reply) => Renderer.RenderCompletion(reply, Context(reply));

    /// <summary>Serializes each event of a streamed reply to its bytes (a comment line first when the reply has them, the blank line after it included).</summary>
    internal IReadOnlyList<byte[]> RenderEvents(EmulatorReply reply) =>
        [.. RenderStream(reply).Select(e => SseFraming.Frame(e, reply))];

    /// <summary>Serializes a streamed reply to the bytes of its body, with the reply's line ending and comment lines.</summary>
    internal byte[] RenderBody(EmulatorReply reply) => [.. RenderEvents(reply).SelectMany(e => e)];

    /// <summary>
    /// Renders the protocol's padding event (see <see cref="EmulatorReply.AddPadding"/>) without its filler: the bytes
    /// before the filler (its <c>event:</c> line and the payload up to the string the filler fills) and those after it.
    /// </summary>
    internal (byte[] Head, byte[] Tail) RenderPaddingFrame()
    {
        var reply = new EmulatorReply().AddPadding(0);
        var padding = RenderStream(reply).Single(e => e.PaddingBytes is not null);
        var lineEnding = SseFraming.LineEnding(reply);
        var head = new ArrayBufferWriter<byte>();
        SseFraming.WriteHead(head, padding, lineEnding);
        var tail = new ArrayBufferWriter<byte>();
        SseFraming.WriteTail(tail, padding, lineEnding);
        return (head.WrittenSpan.ToArray(), tail.WrittenSpan.ToArray());
    }

    /// <inheritdoc />
    public override string ToString() => Protocol.ToString();

    /// <summary>A fresh context per rendering, so made-up ids are numbered from 1 each time.</summary>
    private RenderContext Context(EmulatorReply reply) => RenderContext.For(Renderer, reply, reply.Model ?? Model, Created, new IdCounter());
}
