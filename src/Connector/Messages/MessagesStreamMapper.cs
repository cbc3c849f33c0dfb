using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>
/// Maps an Anthropic Messages stream (or one complete <c>message</c> object) onto updates.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Wire</term><description>Update</description></listheader>
/// <item><term><c>message_start</c></term><description>ids and model of every update; usage merged; pre-filled <c>content</c> and <c>stop_reason</c> honoured. A repeated start with the same id is ignored; one with another id while a message is open is an error.</description></item>
/// <item><term><c>text_delta</c></term><description><see cref="TextContent"/>; a content-part array in <c>text</c> (a gateway copying Mistral's, in a delta or a complete text block) is read as Chat Completions reads it (<see cref="ContentParts"/>): text parts <see cref="TextContent"/>, thinking parts <see cref="TextReasoningContent"/>.</description></item>
/// <item><term>fields of a <c>text</c>, <c>thinking</c>, <c>redacted_thinking</c> or <c>tool_use</c> block the mapping does not use (a programmatic call's <c>caller</c>)</term><description>kept on the block's first content under <see cref="MessagesKeys.Fields"/> (see <see cref="WireFields"/>), so the block goes back with them.</description></item>
/// <item><term><c>thinking_delta</c></term><description><see cref="TextReasoningContent"/>.</description></item>
/// <item><term><c>signature_delta</c></term><description>a last, empty <see cref="TextReasoningContent"/> of the block whose <see cref="TextReasoningContent.ProtectedData"/> is the signature ("comes last in a thinking block").</description></item>
/// <item><term><c>redacted_thinking</c></term><description><see cref="TextReasoningContent"/> with the encrypted data as <see cref="TextReasoningContent.ProtectedData"/>, marked <see cref="ReasoningMarkers.Redacted"/>.</description></item>
/// <item><term><c>tool_use</c> + <c>input_json_delta</c></term><description>one complete <see cref="FunctionCallContent"/> at <c>content_block_stop</c> ("parse only at block stop"); an input given whole at block start is used when no delta carried any.</description></item>
/// <item><term><c>citations_delta</c>, <c>citations</c> of a complete text block</term><description><see cref="CitationAnnotation"/>s on the block's <see cref="TextContent"/> (see <see cref="MessagesBlockCitations"/>). A streamed block's text is held from its first citation to its stop and then reported as one content carrying the block's JSON, so a later request sends the block back with its citations.</description></item>
/// <item><term>server tool, MCP and unknown blocks</term><description>one content per block at its stop (see <see cref="MessagesServerBlocks"/>), kept with the block's complete JSON (<see cref="MessagesBlockBuilder"/>); never a function call, never a failure.</description></item>
/// <item><term><c>message_delta</c></term><description>the finish reason; usage merged (cumulative, "merge with what <c>message_start</c> said, never replace").</description></item>
/// <item><term><c>message_stop</c></term><description>one <see cref="UsageContent"/>: input = <c>input_tokens</c> + <c>cache_read_input_tokens</c> + <c>cache_creation_input_tokens</c>, cached input = <c>cache_read_input_tokens</c>, cache creation in <see cref="UsageDetails.AdditionalCounts"/>.</description></item>
/// <item><term><c>ping</c>, unknown events</term><description>skipped, never a failure; with <see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>, an update carrying only the event (see <see cref="StreamMapperBase{TMapper}"/>).</description></item>
/// <item><term><c>error</c></term><description><see cref="YuHuanApiException"/> with the error's type, after what arrived before it.</description></item>
/// <item><term><c>index</c> of a block event</term><description>the block's identity: one that is not a non-negative 32-bit integer, or a block started at an index still open, is <c>invalid_response</c> (two blocks under one index would fuse or lose tool calls); an index may be used again after its stop.</description></item>
/// </list>
/// </remarks>
internal sealed partial class MessagesStreamMapper : StreamMapperBase<MessagesStreamMapper>
{
    /// <summary>The protocol's events, each with the one handler that maps it; <c>ping</c> and events nobody announced are skipped.</summary>
    private static readonly EventTable<MessagesStreamMapper> Events = new(
    [
        new("message_start"u8, static (m, payload) => m.OnMessageStart(payload)),
        new("content_block_start"u8, static (m, payload) => m.OnBlockStart(payload)),
        new("content_block_delta"u8, static (m, payload) => m.OnBlockDelta(payload)),
        new("content_block_stop"u8, static (m, payload) => m.OnBlockStop(payload)),
        new("message_delta"u8, static (m, payload) => m.OnMessageDelta(payload)),
        new("message_stop"u8, static (m, _) => m.OnMessageStop()),
        new("error"u8, static (m, payload) => m.OnErrorEvent(payload)),
    ]);

    private readonly ToolCallAccumulator _toolCalls = new();
    private readonly Dictionary<int, MessagesOpenBlock> _blocks = [];
    private MessagesCitedText? _held;
    private int _lastTextIndex = -1;
    private ChatFinishReason? _finishReason;
    private bool _finishReported;
    private bool _started;

    /// <summary>Initializes the mapper of one response.</summary>
    /// <param name="includeRawRepresentation">Whether updates carry the wire JSON they came from (<see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>).</param>
    public MessagesStreamMapper(bool includeRawRepresentation = false)
        : base(MessagesProtocol.DisplayName, "message_stop", MessagesVocabulary.Usage, Events, includeRawRepresentation)
    {
    }

    /// <inheritdoc />
    protected override void ReadComplete(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates)
    {
        if (TypeOf(json, stackalloc byte[EventTable<MessagesStreamMapper>.MaxNameLength]).SequenceEqual("error"u8))
        {
            throw ReadError(json);
        }

        var reader = ResponseReader(json);
        List<AIContent>? contents = null;
        var sawMessage = ReadMessage(ref reader, json, ref contents);
        IsCompleted = true;
        Response.FlushHeld(ref contents);
        TakeUsage(ref contents);
        if (!sawMessage && contents is null && _finishReason is null)
        {
            throw ClientErrors.InvalidResponse(Protocol, "the response holds no message");
        }

        updates.Add(Response.NewUpdate(contents, _finishReason));
    }
}
