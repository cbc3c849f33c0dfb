using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>Maps an OpenAI Responses stream (or one complete <c>response</c> object) onto updates.</summary>
/// <remarks>
/// <para>Output items are correlated by <c>output_index</c>, never by item id ("every event may carry a new
/// <c>item_id</c>"). Each message item is one assistant message: the first one's updates, and those of the reasoning and
/// function-call items around it, carry the response id as <see cref="ChatResponseUpdate.MessageId"/>; a later message
/// item (<c>phase</c> <c>commentary</c> then <c>final_answer</c>) and what follows it carry that item's first id.</para>
/// <list type="table">
/// <listheader><term>Wire</term><description>Update</description></listheader>
/// <item><term><c>response.created</c>, <c>response.in_progress</c>, <c>response.queued</c></term><description>ids, model and <c>created_at</c> of every update (the first id seen stays the <see cref="ChatResponseUpdate.ResponseId"/>); for a background response, one empty update carrying the first continuation token.</description></item>
/// <item><term><c>response.output_text.delta</c></term><description><see cref="TextContent"/>.</description></item>
/// <item><term><c>response.reasoning_summary_text.delta</c>, <c>response.reasoning_text.delta</c></term><description><see cref="TextReasoningContent"/>; the first piece of each reasoning item carries its id under <see cref="ResponsesKeys.ItemId"/>, and raw reasoning (<c>reasoning_text</c>, as a delta or in the item's <c>content</c>) <see cref="ResponsesKeys.ReasoningPart"/>, so it goes back as <c>content</c>.</description></item>
/// <item><term>fields of a <c>message</c>, <c>reasoning</c> or <c>function_call</c> item the mapping does not use (<c>phase</c>, unknown fields)</term><description>kept under <see cref="ResponsesKeys.Fields"/> on the item's first text or reasoning piece or on its <see cref="FunctionCallContent"/>.</description></item>
/// <item><term>items done out of order ("output_item.done for index 4 before index 2")</term><description>an item's contents wait while an item before it (by <c>output_index</c>) was added and is not done, and go out after it: the history lists items in <c>output_index</c> order, as the complete response does.</description></item>
/// <item><term><c>response.refusal.delta</c>, <c>response.refusal.done</c>, a refusal <c>part</c> of <c>response.content_part.done</c></term><description>accumulated; one <see cref="ErrorContent"/> (error code <c>Refusal</c>) when the refusal part or item is done, or at the terminal event; finish reason <see cref="ChatFinishReason.ContentFilter"/>.</description></item>
/// <item><term><c>response.function_call_arguments.delta</c> / <c>.done</c></term><description>accumulated per output index (<c>.done</c> may lack <c>name</c>; its arguments are complete and replace the pieces).</description></item>
/// <item><term><c>response.output_item.done</c></term><description>a <c>function_call</c>: one complete <see cref="FunctionCallContent"/> (the item's non-empty <c>arguments</c> win over the pieces); a <c>reasoning</c> item's <c>encrypted_content</c> ("absent or empty at <c>output_item.added</c>"): an empty <see cref="TextReasoningContent"/> whose <see cref="TextReasoningContent.ProtectedData"/> it is, with the item id, ending the item; text and reasoning of an item this mapper saw added but got no deltas for (servers that send only the done item).</description></item>
/// <item><term><c>response.output_item.done</c> of any other item (hosted tools, compaction, unknown types)</term><description>the contents <see cref="ResponsesHostedItems"/> maps it to, its JSON kept for the next request; the same for such items of a complete response or of the terminal event's <c>output</c> the stream did not deliver.</description></item>
/// <item><term><c>response.image_generation_call.partial_image</c></term><description>an <see cref="ImageGenerationToolResultContent"/> of the partial image as it arrives.</description></item>
/// <item><term><c>response.output_text.annotation.added</c>, an <c>output_text</c> part's <c>annotations</c></term><description><see cref="CitationAnnotation"/>s (see <see cref="ResponsesAnnotations"/>): on the part's <see cref="TextContent"/> when the text comes from the item; after streamed text, on an empty <see cref="TextContent"/> of their own in the same message, which merging leaves beside the text (annotated text is never merged) (the done item adds only what no annotation event delivered).</description></item>
/// <item><term><c>output_index</c></term><description>the item's identity: one that is not a non-negative 32-bit integer, a second <c>output_item.added</c> at an index, or a done function call of another <c>call_id</c> at an index already done, is <c>invalid_response</c> (a call is never fused with another nor dropped); a repeated done of the same item is a harmless duplicate.</description></item>
/// <item><term><c>response.content_part.added</c>, <c>response.output_text.done</c>, the hosted tools' progress events, unknown events</term><description>skipped, never a failure; with <see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>, an update carrying only the event (see <see cref="StreamMapperBase{TMapper}"/>).</description></item>
/// <item><term><c>response.completed</c></term><description>open items and calls completed, each element of <c>response.output</c> matched to the streamed item it is by item id, else (ids rotate) by call id or by the text (or a hosted item's JSON) the stream delivered, else the first open item of its kind, never by position ("position N is not <c>output_index</c> N"); waiting contents in <c>output_index</c> order; one <see cref="UsageContent"/> (<c>input_tokens_details.cached_tokens</c> cached, <c>output_tokens_details.reasoning_tokens</c> reasoning; 0/0 as it is); finish reason <see cref="ChatFinishReason.ToolCalls"/> after a function call, else <see cref="ChatFinishReason.Stop"/>; <see cref="ChatResponseUpdate.ConversationId"/> = the terminal <c>response.id</c> when the response is stored.</description></item>
/// <item><term><c>response.incomplete</c></term><description>as completed, finish reason from <c>incomplete_details.reason</c>: <c>max_output_tokens</c> → <see cref="ChatFinishReason.Length"/>, <c>content_filter</c> → <see cref="ChatFinishReason.ContentFilter"/>.</description></item>
/// <item><term><c>response.failed</c>, <c>error</c> (flat or nested), <c>cancelled</c></term><description><see cref="YuHuanApiException"/> after what arrived before it; the first failure ends the response, so "an <c>error</c> event … followed by <c>response.failed</c>" is reported once.</description></item>
/// </list>
/// <para>A background response's updates carry <see cref="Continuation"/> (the response id and the last
/// <c>sequence_number</c> seen, from any event) until the terminal one. A mapper resumed from a token starts mid-stream:
/// it never repeats the text of an item whose <c>output_item.added</c> it did not see.</para>
/// </remarks>
internal sealed partial class ResponsesStreamMapper : StreamMapperBase<ResponsesStreamMapper>, IResumableMapper
{
    /// <summary>The protocol's events, each with the one handler that maps it; events nobody announced are skipped.</summary>
    private static readonly EventTable<ResponsesStreamMapper> Events = new(
    [
        new("response.created"u8, static (m, payload) => m.OnResponseHeader(payload)),
        new("response.in_progress"u8, static (m, payload) => m.OnResponseHeader(payload)),
        new("response.queued"u8, static (m, payload) => m.OnResponseHeader(payload)),
        new("response.output_item.added"u8, static (m, payload) => m.OnItemAdded(payload)),
        new("response.output_text.delta"u8, static (m, payload) => m.OnTextDelta(payload)),
        new("response.reasoning_summary_text.delta"u8, static (m, payload) => m.OnReasoningDelta(payload, raw: false)),
        new("response.reasoning_text.delta"u8, static (m, payload) => m.OnReasoningDelta(payload, raw: true)),
        new("response.refusal.delta"u8, static (m, payload) => m.OnRefusalDelta(payload)),
        new("response.refusal.done"u8, static (m, payload) => m.OnRefusalDone(payload)),
        new("response.content_part.done"u8, static (m, payload) => m.OnRefusalDone(payload)),
        new("response.function_call_arguments.delta"u8, static (m, payload) => m.OnArgumentsDelta(payload)),
        new("response.function_call_arguments.done"u8, static (m, payload) => m.OnArgumentsDone(payload)),
        new("response.output_text.annotation.added"u8, static (m, payload) => m.OnAnnotation(payload)),
        new("response.image_generation_call.partial_image"u8, static (m, payload) => m.OnPartialImage(payload)),
        new("response.output_item.done"u8, static (m, payload) => m.OnItemDone(payload)),
        new("response.completed"u8, static (m, payload) => m.OnTerminal(payload, Status.Completed)),
        new("response.incomplete"u8, static (m, payload) => m.OnTerminal(payload, Status.Incomplete)),
        new("response.failed"u8, static (m, payload) => m.OnTerminal(payload, Status.Failed)),
        new("response.cancelled"u8, static (m, payload) => m.OnTerminal(payload, Status.Cancelled)),
        new("error"u8, static (m, payload) => m.OnErrorEvent(payload)),
    ]);

    /// <summary>Gets the name of a response's creation time, in Unix seconds.</summary>
    private static ReadOnlySpan<byte> CreatedField => "created_at"u8;

    private readonly ToolCallAccumulator _toolCalls = new();
    private readonly Dictionary<int, ResponsesOutputItem> _items = [];
    private readonly bool _stored;
    private readonly bool _background;
    private readonly bool _midStream;
    private readonly string? _conversation;
    private HashSet<int>? _annotated;
    private SortedSet<int>? _open;
    private int _holding;
    private ResponsesOutputItem? _current;
    private ResponsesOutputItem? _lastWithContent;
    private ResponsesOutputItem? _firstMessage;
    private string? _messageId;
    private string? _latestResponseId;
    private long? _sequence;
    private bool _madeCall;
    private bool _refused;
    private bool _refusalPending;

    /// <summary>Initializes the mapper of one response.</summary>
    /// <param name="stored">Whether the request lets the server store the response (then the terminal event's id becomes <see cref="ChatResponseUpdate.ConversationId"/>).</param>
    /// <param name="background">Whether the response runs in the background (then updates carry a <see cref="ChatResponseUpdate.ContinuationToken"/>).</param>
    /// <param name="resumed">The token a resumed or polled response continues from, or <see langword="null"/>.</param>
    /// <param name="conversation">The server-side conversation (<c>conv_…</c>) the request added to, or <see langword="null"/>: then it stays the <see cref="ChatResponseUpdate.ConversationId"/>.</param>
    /// <param name="includeRawRepresentation">Whether updates carry the wire JSON they came from (<see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/>).</param>
    public ResponsesStreamMapper(bool stored, bool background, ResponsesContinuationToken? resumed, string? conversation = null, bool includeRawRepresentation = false)
        : base(ResponsesProtocol.DisplayName, "response.completed", ResponsesVocabulary.Usage, Events, includeRawRepresentation)
    {
        _stored = stored;
        _background = background;
        _conversation = conversation;
        if (resumed is not null)
        {
            _midStream = true;
            Response.KeepResponseId(resumed.ResponseId);
            _latestResponseId = resumed.ResponseId;
            _sequence = resumed.SequenceNumber;
        }
    }

    private enum Status
    {
        None,
        InProgress,
        Completed,
        Incomplete,
        Failed,
        Cancelled,
    }
}
