using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests;

/// <summary>
/// The part of a protocol's kit only Connector.Tests compiles, as it sees the connector's and the emulator's internals:
/// the emulator's own renderer of a protocol-neutral <see cref="EmulatorReply"/> script into the protocol's events, framed
/// by the emulator's own SSE framing (so the bytes are those the live emulator sends), and what the reliability, fuzz,
/// end-to-end and storage tests expect of the protocol.
/// </summary>
public abstract partial class WireFormat
{
    /// <summary>The model every offline rendering reports.</summary>
    internal const string Model = "fuzz-model";

    /// <summary>The creation time every offline rendering reports, in Unix seconds.</summary>
    internal const long Created = 1_700_000_000;

    /// <summary>Gets the emulator's renderer of the protocol.</summary>
    internal abstract IProtocolRenderer Renderer { get; }

    /// <summary>Gets the prefix of the response ids the emulator makes up for the protocol.</summary>
    internal string ResponseIdPrefix => Renderer.ResponseIdPrefix;

    /// <summary>
    /// Gets what ends a complete stream of the protocol: the payload of its last data line, or the type of its last event.
    /// </summary>
    internal abstract string TerminalMarker { get; }

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

    /// <summary>Gets a value indicating whether the protocol has background responses, which a continuation token resumes or polls.</summary>
    internal virtual bool HasBackgroundResponses => false;

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

    /// <summary>Asserts a request the client sent with <paramref name="apiKey"/> carried the key and every other header the protocol requires, and no other key header.</summary>
    internal abstract void AssertProtocolHeaders(RecordedRequest request, string apiKey);

    /// <summary>Asserts the fields a streaming request of the protocol must carry beyond <c>"stream": true</c>, and none of another protocol's.</summary>
    internal abstract void AssertStreamingFields(JsonElement body);

    /// <summary>Returns the usage the client must report for a script's usage, as far as the protocol can carry it.</summary>
    internal abstract UsageDetails ExpectedUsage(FuzzUsage usage);

    /// <summary>
    /// Returns what a client must make of a hosted-tool or unknown part of a script in this protocol: the emulator's
    /// renderer leaves out what the protocol has no shape for (<see cref="ExpectedHosted.None"/>).
    /// </summary>
    internal abstract ExpectedHosted ExpectHosted(HostedSpec part);

    /// <summary>Returns whether the protocol renders hosted parts of <paramref name="kind"/>: each one it renders is kept as one block or item at least.</summary>
    internal bool Renders(HostedKind kind) => ExpectHosted(new HostedSpec(kind, 0, "x")).KeptTypes.Count > 0;

    /// <summary>Gets a block or item of a type no protocol defines, holding the secret <c>cmp-secret</c> to look for.</summary>
    internal abstract string UnknownBlock { get; }

    /// <summary>
    /// Gets a value indicating whether a streamed citation lands on the cited text itself (the protocol holds a cited
    /// block's text to its end); otherwise it comes after the text, on an empty text of its own.
    /// </summary>
    internal abstract bool CitationsHoldTheStreamedText { get; }

    /// <summary>Gets a value indicating whether a citation carries the cited text as its snippet; otherwise it carries the region it covers.</summary>
    internal abstract bool CitesBySnippet { get; }

    /// <summary>Returns whether <paramref name="e"/>, an event of a served or rendered stream, is the one that ends a complete stream (<see cref="TerminalMarker"/>).</summary>
    internal bool EndsStream(RenderedEvent e) => e.Data == TerminalMarker || e.Type == TerminalMarker;

    /// <summary>Reads the id of the response a served or rendered stream names in its first event.</summary>
    internal abstract string StreamedId(IReadOnlyList<RenderedEvent> events);

    /// <summary>Reads the answer's text out of the events of a served or rendered stream: its text pieces, joined in order.</summary>
    internal abstract string StreamedText(IEnumerable<RenderedEvent> events);

    /// <summary>Reads the id of a complete response.</summary>
    internal abstract string CompletionId(JsonElement completion);

    /// <summary>Reads the answer's text out of a complete response.</summary>
    internal abstract string CompletionText(JsonElement completion);

    /// <summary>Returns whether a block or item the emulator rendered, or a request carried back, is the answer's text.</summary>
    internal virtual bool IsTextItem(JsonElement item) => false;

    /// <summary>
    /// Returns the text of a text block or item that goes back rebuilt from its text rather than verbatim (so it is
    /// compared by its text), or <see langword="null"/> for one that goes back as it came.
    /// </summary>
    internal virtual string? RebuiltText(JsonElement item) => null;

    /// <summary>
    /// Returns the JSON of a block or item to compare between what the emulator rendered and what a request carried back:
    /// as it is, but for what the emulator makes up per response (after checking it is there).
    /// </summary>
    internal virtual string ComparableItem(JsonElement item) => item.GetRawText();

    /// <summary>Reads the content blocks or output items of a complete response the emulator rendered for <paramref name="reply"/>.</summary>
    internal abstract IReadOnlyList<JsonElement> RenderedItems(EmulatorReply reply);

    /// <summary>
    /// Reads what a request carried back of the assistant's turn, between the first and the last user message: the
    /// assistant messages, or their blocks, or the input items, as the protocol has them.
    /// </summary>
    internal abstract IReadOnlyList<JsonElement> SentAssistantTurn(JsonElement body);

    /// <summary>Asserts a request carried <see cref="HostedWebSearchTool"/> as the protocol's own web search.</summary>
    internal abstract void AssertHostedWebSearchSent(JsonElement body);

    /// <summary>Asserts a request carried a <see cref="HostedMcpServerTool"/> named <c>docs</c> at <c>https://mcp.example.com/sse</c>, allowing only <c>search_docs</c>, without approvals.</summary>
    internal abstract void AssertHostedMcpServerSent(RecordedRequest request);

    /// <summary>Returns the body of an error response of the protocol; the arguments are the content of JSON strings (<paramref name="codeJson"/> <see langword="null"/> for no code).</summary>
    internal abstract string ErrorBody(string messageJson, string typeJson, string? codeJson);

    /// <summary>Returns a whole event stream whose one event is the protocol's in-stream error.</summary>
    internal abstract string ErrorEventStream(string messageJson, string typeJson);

    /// <summary>Returns a stream of a response with <paramref name="calls"/> tool calls (ids distinct, no arguments), ended as the protocol ends one.</summary>
    internal abstract string ManyToolCallsStream(int calls);

    /// <summary>
    /// Gets the types of the blocks or items (or, where a protocol has neither, the fields of the assistant message) that a
    /// request built on the history of <c>StoredHistoryData.RichReply</c> must carry back.
    /// </summary>
    internal abstract IReadOnlyList<string> RichReplyCarriedBack { get; }

    /// <summary>
    /// Gets what a request built on the history of <c>StoredHistoryData.RichReply</c> must hold beyond the types of
    /// <see cref="RichReplyCarriedBack"/>: the fields the mapping does not use, signatures, phase, annotations and raw
    /// reasoning, each where the protocol has a place for it.
    /// </summary>
    internal abstract IReadOnlyList<string> RichReplyMarks { get; }

    /// <summary>Reads the types of the blocks or items (or the fields of the messages) a request holds, in the terms of <see cref="RichReplyCarriedBack"/>.</summary>
    internal abstract IReadOnlySet<string> TypesIn(JsonElement body);

    /// <summary>Writes the request body the client sends for <paramref name="request"/>.</summary>
    internal JsonElement WriteRequest(ChatRequest request) =>
        JsonElement.Parse(Protocols.Create(new YuHuanChatClientOptions { Protocol = Protocol }).CreateCall(request).Body.Span);

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

    /// <summary>A fresh context per rendering, so made-up ids are numbered from 1 each time.</summary>
    private RenderContext Context(EmulatorReply reply) => RenderContext.For(Renderer, reply, reply.Model ?? Model, Created, new IdCounter());
}
