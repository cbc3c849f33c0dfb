using System.Text.Json;
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
/// <item><term><c>response.refusal.delta</c></term><description>accumulated; one <see cref="ErrorContent"/> (error code <c>Refusal</c>) when the refusal part or item is done, or at the terminal event; finish reason <see cref="ChatFinishReason.ContentFilter"/>.</description></item>
/// <item><term><c>response.function_call_arguments.delta</c> / <c>.done</c></term><description>accumulated per output index (<c>.done</c> may lack <c>name</c>; its arguments are complete and replace the pieces).</description></item>
/// <item><term><c>response.output_item.done</c></term><description>a <c>function_call</c>: one complete <see cref="FunctionCallContent"/> (the item's non-empty <c>arguments</c> win over the pieces); a <c>reasoning</c> item's <c>encrypted_content</c> ("absent or empty at <c>output_item.added</c>"): an empty <see cref="TextReasoningContent"/> whose <see cref="TextReasoningContent.ProtectedData"/> it is, with the item id, ending the item; text and reasoning of an item this mapper saw added but got no deltas for (servers that send only the done item).</description></item>
/// <item><term><c>response.output_item.done</c> of any other item (hosted tools, compaction, unknown types)</term><description>the contents <see cref="ResponsesHostedItems"/> maps it to, its JSON kept for the next request; the same for such items of a complete response or of the terminal event's <c>output</c> the stream did not deliver.</description></item>
/// <item><term><c>response.image_generation_call.partial_image</c></term><description>an <see cref="ImageGenerationToolResultContent"/> of the partial image as it arrives.</description></item>
/// <item><term><c>response.output_text.annotation.added</c>, an <c>output_text</c> part's <c>annotations</c></term><description><see cref="CitationAnnotation"/>s (see <see cref="ResponsesAnnotations"/>): on the part's <see cref="TextContent"/> when the text comes from the item; after streamed text, on an empty <see cref="TextContent"/> of their own in the same message, which merging leaves beside the text (annotated text is never merged) (the done item adds only what no annotation event delivered).</description></item>
/// <item><term><c>output_index</c></term><description>the item's identity: one that is not a non-negative 32-bit integer, a second <c>output_item.added</c> at an index, or a done function call of another <c>call_id</c> at an index already done, is <c>invalid_response</c> (a call is never fused with another nor dropped); a repeated done of the same item is a harmless duplicate.</description></item>
/// <item><term>unknown events</term><description>skipped, never a failure.</description></item>
/// <item><term><c>response.completed</c></term><description>open items and calls completed, each element of <c>response.output</c> matched to the streamed item it is by item id, else (ids rotate) by call id or by the text (or a hosted item's JSON) the stream delivered, else the first open item of its kind, never by position ("position N is not <c>output_index</c> N"); waiting contents in <c>output_index</c> order; one <see cref="UsageContent"/> (<c>input_tokens_details.cached_tokens</c> cached, <c>output_tokens_details.reasoning_tokens</c> reasoning; 0/0 as it is); finish reason <see cref="ChatFinishReason.ToolCalls"/> after a function call, else <see cref="ChatFinishReason.Stop"/>; <see cref="ChatResponseUpdate.ConversationId"/> = the terminal <c>response.id</c> when the response is stored.</description></item>
/// <item><term><c>response.incomplete</c></term><description>as completed, finish reason from <c>incomplete_details.reason</c>: <c>max_output_tokens</c> → <see cref="ChatFinishReason.Length"/>, <c>content_filter</c> → <see cref="ChatFinishReason.ContentFilter"/>.</description></item>
/// <item><term><c>response.failed</c>, <c>error</c> (flat or nested), <c>cancelled</c></term><description><see cref="YuHuanApiException"/> after what arrived before it; the first failure ends the response, so "an <c>error</c> event … followed by <c>response.failed</c>" is reported once.</description></item>
/// </list>
/// <para>A background response's updates carry <see cref="Continuation"/> (the response id and the last
/// <c>sequence_number</c> seen, from any event) until the terminal one. A mapper resumed from a token starts mid-stream:
/// it never repeats the text of an item whose <c>output_item.added</c> it did not see.</para>
/// </remarks>
internal sealed partial class ResponsesStreamMapper : StreamMapperBase, IResumableMapper
{
    private const string Name = "Responses";
    private const string RefusalCode = "Refusal";

    private readonly ResponseState _response = new(ResponsesVocabulary.Usage);
    private readonly ToolCallAccumulator _toolCalls = new();
    private readonly Dictionary<int, ResponsesOutputItem> _items = [];
    private HashSet<int>? _annotated;
    private SortedSet<int>? _open;
    private int _holding;
    private readonly bool _stored;
    private readonly bool _background;
    private readonly bool _midStream;
    private ResponsesOutputItem? _current;
    private ResponsesOutputItem? _lastWithContent;
    private ResponsesOutputItem? _firstMessage;
    private string? _messageId;
    private string? _latestResponseId;
    private long? _sequence;
    private bool _madeCall;
    private bool _refused;
    private bool _refusalPending;
    private readonly string? _conversation;

    /// <summary>Initializes the mapper of one response.</summary>
    /// <param name="stored">Whether the request lets the server store the response (then the terminal event's id becomes <see cref="ChatResponseUpdate.ConversationId"/>).</param>
    /// <param name="background">Whether the response runs in the background (then updates carry a <see cref="ChatResponseUpdate.ContinuationToken"/>).</param>
    /// <param name="resumed">The token a resumed or polled response continues from, or <see langword="null"/>.</param>
    /// <param name="conversation">The server-side conversation (<c>conv_…</c>) the request added to, or <see langword="null"/>: then it stays the <see cref="ChatResponseUpdate.ConversationId"/>.</param>
    public ResponsesStreamMapper(bool stored, bool background, ResponsesContinuationToken? resumed, string? conversation = null)
        : base(Name)
    {
        _stored = stored;
        _background = background;
        _conversation = conversation;
        if (resumed is not null)
        {
            _midStream = true;
            _response.KeepResponseId(resumed.ResponseId);
            _latestResponseId = resumed.ResponseId;
            _sequence = resumed.SequenceNumber;
        }
    }

    private enum EventKind
    {
        Unknown,
        ResponseHeader,
        ItemAdded,
        ItemDone,
        TextDelta,
        ReasoningDelta,
        RawReasoningDelta,
        RefusalDelta,
        RefusalDone,
        PartDone,
        ArgumentsDelta,
        ArgumentsDone,
        Completed,
        Incomplete,
        Failed,
        Cancelled,
        Error,
        Annotation,
        PartialImage,
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

    /// <summary>The top-level fields of an item event the mapper reads; see <see cref="ItemEventFieldOf"/>.</summary>
    private enum ItemEventField
    {
        Other,
        Delta,
        OutputIndex,
        SequenceNumber,
        ItemId,
        Arguments,
        Name,
        Refusal,
        Part,
    }

    private enum PartKind
    {
        Unknown,
        Text,
        Reasoning,
        Other,
    }

    /// <inheritdoc />
    public override ChatResponseUpdate? OnEndOfStream() =>
        IsCompleted ? null : throw ClientErrors.IncompleteStream(Name, "response.completed");

    /// <inheritdoc />
    public override void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw ClientErrors.InvalidResponse(Name, "the response is not a JSON object");
            }

            var first = updates.Count;
            var fields = default(ResponseFields);
            List<AIContent>? contents = null;
            ReadResponseObject(ref reader, json, ref fields, updates, ref contents, whole: true);
            if (fields.HasError || fields.Status == Status.Failed)
            {
                IsCompleted = true;
                throw Failure(ref fields);
            }

            if (!fields.Seen)
            {
                throw ClientErrors.InvalidResponse(Name, "the body is not a response object");
            }

            // Fields that followed "output" in the object reach the updates made before them.
            for (var i = first; i < updates.Count; i++)
            {
                var update = updates[i];
                update.ResponseId ??= _response.ResponseId;
                update.MessageId ??= _response.ResponseId;
                update.ModelId ??= _response.ModelId;
                update.CreatedAt ??= _response.CreatedAt;
            }

            if (fields.Status == Status.InProgress)
            {
                updates.Add(Polled(updates, first));
                return;
            }

            updates.Add(Finish(fields.Status == Status.None ? Status.Completed : fields.Status, ref fields, contents));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw ClientErrors.Unreadable(Name, ex);
        }
    }

    /// <inheritdoc />
    protected override ChatResponseUpdate? OnPayload(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload)
    {
        // A background stream resumed after event N must start after it; one the server replays anyway is not read twice.
        if (_background && _sequence is { } last && PeekSequenceNumber(payload) is { } sequence && sequence <= last)
        {
            return null;
        }

        // The event line names the type; without one (the SSE default, "message"), the payload's "type" does.
        var kind = KindOf(eventType);
        if (kind == EventKind.Unknown && (eventType.IsEmpty || eventType.SequenceEqual("message"u8)))
        {
            kind = ReadTypeField(payload);
        }

        switch (kind)
        {
            case EventKind.TextDelta:
                return OnTextDelta(payload);
            case EventKind.ReasoningDelta:
                return OnReasoningDelta(payload, raw: false);
            case EventKind.RawReasoningDelta:
                return OnReasoningDelta(payload, raw: true);
            case EventKind.ArgumentsDelta:
                OnArgumentsDelta(payload);
                return null;
            case EventKind.ItemAdded:
                OnItemAdded(payload);
                return null;
            case EventKind.ItemDone:
                return OnItemDone(payload);
            case EventKind.ArgumentsDone:
                OnArgumentsDone(payload);
                return null;
            case EventKind.RefusalDelta:
                OnRefusalDelta(payload);
                return null;
            case EventKind.RefusalDone:
            case EventKind.PartDone:
                return OnRefusalDone(payload);
            case EventKind.ResponseHeader:
                return OnResponseHeader(payload);
            case EventKind.Completed:
                return OnTerminal(payload, Status.Completed);
            case EventKind.Incomplete:
                return OnTerminal(payload, Status.Incomplete);
            case EventKind.Failed:
                return OnTerminal(payload, Status.Failed);
            case EventKind.Cancelled:
                return OnTerminal(payload, Status.Cancelled);
            case EventKind.Error:
                IsCompleted = true;
                throw ReadError(payload);
            case EventKind.Annotation:
                return OnAnnotation(payload);
            case EventKind.PartialImage:
                return OnPartialImage(payload);
            default:
                // Hosted-tool families, annotations, content parts and events nobody announced: only their position counts.
                if (_background)
                {
                    ScanSequenceNumber(payload);
                }

                return null;
        }
    }

    private static EventKind KindOf(ReadOnlySpan<byte> type)
    {
        Span<char> chars = stackalloc char[64];
        return type.Length <= chars.Length && System.Text.Encoding.UTF8.TryGetChars(type, chars, out var written) ? KindOf(chars[..written]) : EventKind.Unknown;
    }

    private static EventKind KindOf(ReadOnlySpan<char> type) => type switch
    {
        "response.output_text.delta" => EventKind.TextDelta,
        "response.function_call_arguments.delta" => EventKind.ArgumentsDelta,
        "response.reasoning_summary_text.delta" => EventKind.ReasoningDelta,
        "response.reasoning_text.delta" => EventKind.RawReasoningDelta,
        "response.output_item.added" => EventKind.ItemAdded,
        "response.output_item.done" => EventKind.ItemDone,
        "response.function_call_arguments.done" => EventKind.ArgumentsDone,
        "response.refusal.delta" => EventKind.RefusalDelta,
        "response.refusal.done" => EventKind.RefusalDone,
        "response.content_part.done" => EventKind.PartDone,
        "response.created" or "response.in_progress" or "response.queued" => EventKind.ResponseHeader,
        "response.completed" => EventKind.Completed,
        "response.incomplete" => EventKind.Incomplete,
        "response.failed" => EventKind.Failed,
        "response.cancelled" => EventKind.Cancelled,
        "error" => EventKind.Error,
        "response.output_text.annotation.added" => EventKind.Annotation,
        "response.image_generation_call.partial_image" => EventKind.PartialImage,
        _ => EventKind.Unknown,
    };

    /// <summary>Finds the top-level <c>type</c> of an event object, wherever it stands among the fields.</summary>
    private static EventKind ReadTypeField(ReadOnlySpan<byte> payload) => KindOf(JsonReading.EventType(payload, Name, stackalloc char[64]));

    private static Status StatusOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return Status.None;
        }

        return reader.ValueTextEquals("completed"u8) ? Status.Completed
            : reader.ValueTextEquals("incomplete"u8) ? Status.Incomplete
            : reader.ValueTextEquals("in_progress"u8) || reader.ValueTextEquals("queued"u8) ? Status.InProgress
            : reader.ValueTextEquals("failed"u8) ? Status.Failed
            : reader.ValueTextEquals("cancelled"u8) ? Status.Cancelled
            : Status.None;
    }

    private static ResponsesItemKind ItemKindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return ResponsesItemKind.Unknown;
        }

        return reader.ValueTextEquals("message"u8) ? ResponsesItemKind.Message
            : reader.ValueTextEquals("reasoning"u8) ? ResponsesItemKind.Reasoning
            : reader.ValueTextEquals("function_call"u8) ? ResponsesItemKind.FunctionCall
            : ResponsesItemKind.Other;
    }

    private static PartKind PartKindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return PartKind.Unknown;
        }

        return reader.ValueTextEquals("output_text"u8) || reader.ValueTextEquals("text"u8) ? PartKind.Text
            : reader.ValueTextEquals("reasoning_text"u8) || reader.ValueTextEquals("summary_text"u8) ? PartKind.Reasoning
            : PartKind.Other;
    }

    private static Utf8JsonReader ObjectReader(ReadOnlySpan<byte> payload) => JsonReading.EventObject(payload, Name);

    /// <summary>The start of the string token at the reader's position, or -1 for any other value (which is skipped).</summary>
    private static int StringStart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
        {
            return (int)reader.TokenStartIndex;
        }

        reader.Skip();
        return -1;
    }

    /// <summary>Reads the string token that starts at <paramref name="start"/> of <paramref name="data"/> (see <see cref="StringStart"/>).</summary>
    private static string? StringAt(ReadOnlySpan<byte> data, int start)
    {
        if (start < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(data[start..]);
        reader.Read();
        return JsonReading.NonEmptyString(ref reader);
    }
}
