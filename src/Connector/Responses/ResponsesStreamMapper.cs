using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;
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
internal sealed class ResponsesStreamMapper : StreamMapperBase
{
    private const string Name = "Responses";
    private const string RefusalCode = "Refusal";

    private readonly ResponseState _response = new();
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

    /// <summary>
    /// Gets the token that resumes this background response after the last event seen: the latest response id (the
    /// resumed token's until an event names one) and the last <c>sequence_number</c>; <see langword="null"/> when the
    /// response is not a background one, is complete, or its id or position is not known yet: a stream without
    /// <c>sequence_number</c>s cannot be resumed without repeating what was read.
    /// </summary>
#pragma warning disable MEAI001 // ContinuationToken is experimental.
    public override ResponseContinuationToken? Continuation =>
        _background && !IsCompleted && _latestResponseId is { } id && _sequence is { } sequence ? new ResponsesContinuationToken(id, sequence) : null;
#pragma warning restore MEAI001

    /// <inheritdoc />
    public override long ResumePosition => _sequence ?? -1;

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
    protected override ChatResponseUpdate? OnPayload(string eventType, ReadOnlySpan<byte> payload)
    {
        // A background stream resumed after event N must start after it; one the server replays anyway is not read twice.
        if (_background && _sequence is { } last && PeekSequenceNumber(payload) is { } sequence && sequence <= last)
        {
            return null;
        }

        // The event line names the type; without one (the SSE default, "message"), the payload's "type" does.
        var kind = KindOf(eventType);
        if (kind == EventKind.Unknown && eventType == "message")
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

    private static YuHuanApiException ReadError(ReadOnlySpan<byte> payload)
    {
        // Flat {"type":"error","code","message","param"} or nested {"type":"error","error":{"type","code","message"}}, the
        // fields in any order: the top-level "type" names the event, never the error.
        var reader = ObjectReader(payload);
        string? message = null;
        string? code = null;
        string? innerMessage = null;
        string? innerType = null;
        string? innerCode = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                GatewayError.ReadErrorObject(ref reader, out innerMessage, out innerType, out innerCode);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = GatewayError.ScalarText(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = GatewayError.ScalarText(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        code = innerCode ?? code;
        return GatewayError.InStream(innerMessage ?? message, innerType ?? code, code);
    }

    private static YuHuanApiException Failure(ref ResponseFields fields) =>
        GatewayError.InStream(fields.ErrorMessage ?? "The response failed.", fields.ErrorType ?? fields.ErrorCode, fields.ErrorCode);

    private static ChatFinishReason IncompleteReason(string? reason) => FinishReasons.Map(reason) ?? ChatFinishReason.Length;

    private ChatResponseUpdate? OnTextDelta(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (_response.JoinText(e.Text) is not { } text)
        {
            return null;
        }

        item.GotText = true;
        item.Text.Add(text);
        return ItemUpdate(item, [GiveFields(item, new TextContent(text))]);
    }

    private ChatResponseUpdate? OnReasoningDelta(ReadOnlySpan<byte> payload, bool raw)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (_response.JoinReasoning(e.Text) is not { } text)
        {
            return null;
        }

        item.GotReasoning = true;
        item.Text.Add(text);
        var piece = new TextReasoningContent(text);
        MarkFirstReasoning(item, piece, raw);
        return ItemUpdate(item, [piece]);
    }

    private void OnArgumentsDelta(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: false);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (item.Done)
        {
            // The call went out complete already: a late piece must not start another.
            return;
        }

        if (item.Kind == ResponsesItemKind.Unknown)
        {
            item.Kind = ResponsesItemKind.FunctionCall;
        }

        // Kept escaped: pieces may split an escape sequence and are unescaped once the call is complete.
        _toolCalls.GetOrAdd(item.Index).Receive(null, null, e.Raw, argumentsAreObject: false);
    }

    private void OnArgumentsDone(ReadOnlySpan<byte> payload)
    {
        // "done may lack name"; its arguments are the complete ones.
        var e = ReadItemEvent(payload, deltaIsText: false);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        if (item.Done)
        {
            return;
        }

        var call = _toolCalls.GetOrAdd(item.Index);
        call.Receive(null, e.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
        if (!e.Arguments.IsEmpty)
        {
            call.ReplaceArguments(e.Arguments, e.ArgumentsAreObject);
        }
    }

    private void OnRefusalDelta(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        var refusal = item.Refusal ??= new StringBuilder();
        _refusalPending = true;
        if (e.Text is not { } text)
        {
            return;
        }

        if ((long)refusal.Length + text.Length >= ResponseLimits.MaxResponseBytes)
        {
            throw ClientErrors.TooLarge("The refusal of the gateway's response (characters)", ResponseLimits.MaxResponseBytes);
        }

        refusal.Append(text);
    }

    /// <summary><c>response.refusal.done</c>, or a <c>response.content_part.done</c> whose part may be a refusal.</summary>
    private ChatResponseUpdate? OnRefusalDone(ReadOnlySpan<byte> payload)
    {
        var e = ReadItemEvent(payload, deltaIsText: true);
        if (e.Refusal is null && !e.HadRefusal)
        {
            return null;
        }

        var item = ItemAt(e.Index, payload, e.ItemIdStart);
        List<AIContent>? contents = null;
        ReportRefusal(item, e.Refusal, ref contents);
        return contents is null ? null : ItemUpdate(item, contents);
    }

    /// <summary>
    /// <c>response.output_text.annotation.added</c>: it follows the text deltas it annotates, so it goes out on an update of
    /// its own, an empty <see cref="TextContent"/> holding the annotation, in the same message (<c>ToChatResponse</c> leaves
    /// it beside the message's text: Microsoft.Extensions.AI never merges annotated text); the item's done event then adds
    /// no annotation twice.
    /// </summary>
    private ChatResponseUpdate? OnAnnotation(ReadOnlySpan<byte> payload)
    {
        if (_background)
        {
            ScanSequenceNumber(payload);
        }

        if (ResponsesAnnotations.ReadAdded(payload, out var index) is not { } annotation)
        {
            return null;
        }

        var item = ItemAt(index, payload, -1);
        if (item.Done)
        {
            return null;
        }

        (_annotated ??= []).Add(item.Index);
        return ItemUpdate(item, [new TextContent(string.Empty) { Annotations = [annotation] }]);
    }

    /// <summary><c>response.image_generation_call.partial_image</c>: the partial image as it arrives (see <see cref="ResponsesHostedItems.PartialImage"/>).</summary>
    private ChatResponseUpdate? OnPartialImage(ReadOnlySpan<byte> payload)
    {
        if (_background)
        {
            ScanSequenceNumber(payload);
        }

        if (ResponsesHostedItems.PartialImage(payload) is not { } image)
        {
            return null;
        }

        var index = -1;
        var reader = ObjectReader(payload);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIndex = reader.ValueTextEquals("output_index"u8);
            reader.Read();
            if (isIndex)
            {
                index = JsonReading.Index(ref reader, Name, "output_index");
                break;
            }

            reader.Skip();
        }

        var item = ItemAt(index, payload, -1);
        return item.Done ? null : ItemUpdate(item, [image]);
    }

    private ChatResponseUpdate? OnResponseHeader(ReadOnlySpan<byte> payload)
    {
        var knew = _latestResponseId is not null;
        var reader = ObjectReader(payload);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("response"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        KeepLatestResponseId(ref reader);
                    }
                    else if (reader.ValueTextEquals("model"u8))
                    {
                        reader.Read();
                        _response.ReadModelId(ref reader);
                    }
                    else if (reader.ValueTextEquals("created_at"u8))
                    {
                        reader.Read();
                        _response.ReadCreatedAt(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                SkipOrKeepSequence(ref reader);
            }
        }

        // A background caller gets its first continuation token as soon as the response has an id.
        if (!_background || knew || _latestResponseId is null)
        {
            return null;
        }

        return ItemUpdate(null, null);
    }

    private void OnItemAdded(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        var itemStart = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("output_index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Name, "output_index");
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                reader.Read();
                itemStart = reader.TokenType == JsonTokenType.StartObject ? (int)reader.TokenStartIndex : -1;
                reader.Skip();
            }
            else
            {
                SkipOrKeepSequence(ref reader);
            }
        }

        if (itemStart < 0)
        {
            return;
        }

        // Positions in the item are counted from its start.
        var itemData = payload[itemStart..];
        var itemReader = new Utf8JsonReader(itemData);
        itemReader.Read();
        var fields = new ItemFields { IdStart = -1 };
        ReadItem(ref itemReader, itemData, ref fields, wantText: false, wantReasoning: false);
        var item = ItemAt(index, itemData, fields.IdStart);
        if (item.SawAdded || item.Done)
        {
            // A second item under one output index: its events could not be told from the first's, and a call would be lost.
            throw ClientErrors.InvalidResponse(Name, $"an output item was added at output_index {item.Index}, which holds one already");
        }

        item.SawAdded = true;
        (_open ??= []).Add(item.Index);
        item.Fields = OwnFields(ref fields, itemData) ?? item.Fields;
        item.CallId ??= fields.CallId;
        if (fields.Kind != ResponsesItemKind.Unknown)
        {
            item.Kind = fields.Kind;
        }

        if (item.Kind == ResponsesItemKind.FunctionCall)
        {
            _toolCalls.GetOrAdd(item.Index).Receive(fields.CallId, fields.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
        }
    }

    private ChatResponseUpdate? OnItemDone(ReadOnlySpan<byte> payload)
    {
        var reader = ObjectReader(payload);
        var index = -1;
        var sawIndex = false;
        var itemStart = -1;
        ResponsesOutputItem? item = null;
        List<AIContent>? contents = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("output_index"u8))
            {
                reader.Read();
                index = JsonReading.Index(ref reader, Name, "output_index");
                sawIndex = true;
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                }
                else if (sawIndex)
                {
                    // The usual order: the index first, so the item is read in the same pass.
                    item = ReadDoneItem(ref reader, payload, index, ref contents);
                }
                else
                {
                    itemStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                }
            }
            else
            {
                SkipOrKeepSequence(ref reader);
            }
        }

        if (itemStart >= 0)
        {
            // Positions in the item are counted from its start.
            var itemData = payload[itemStart..];
            var itemReader = new Utf8JsonReader(itemData);
            itemReader.Read();
            item = ReadDoneItem(ref itemReader, itemData, index, ref contents);
        }

        return item is null ? null : ItemUpdate(item, contents);
    }

    /// <summary>Reads the complete item of <c>output_item.done</c> (the reader at its start) and completes the item.</summary>
    private ResponsesOutputItem? ReadDoneItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, int index, ref List<AIContent>? contents)
    {
        index = ResolveIndex(index);
        var item = FindItem(index) ?? NewItem(index);
        if (item.Done)
        {
            // A repeated done: the item went out already, unless it is another call (which would otherwise be lost).
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (IsAnotherCall(data[start..(int)reader.BytesConsumed], item.CallId))
            {
                throw ClientErrors.InvalidResponse(Name, $"a second function call was done at output_index {item.Index}");
            }

            return null;
        }

        CompleteItem(ref reader, data, item, whole: false, ref contents);
        return item;
    }

    /// <summary>
    /// Reads a complete item (the reader at its start) and adds what is still due for it: text and reasoning nobody got
    /// from deltas (only for an item this mapper saw from its start), a refusal, encrypted reasoning, a function call.
    /// </summary>
    /// <param name="reader">The reader, at the item's start; at its end afterwards.</param>
    /// <param name="data">The JSON the reader reads.</param>
    /// <param name="item">The item's state.</param>
    /// <param name="whole">Whether the item is part of a complete response object read by <see cref="ReadResponse"/>.</param>
    /// <param name="contents">Where the contents go.</param>
    private void CompleteItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ResponsesOutputItem item, bool whole, ref List<AIContent>? contents)
    {
        var fullySeen = whole || item.SawAdded || !_midStream;
        var fields = new ItemFields { IdStart = -1 };
        var itemStart = (int)reader.TokenStartIndex;
        ReadItem(ref reader, data, ref fields, wantText: fullySeen && !item.GotText, wantReasoning: fullySeen && !item.GotReasoning);
        if (item.Id is null && fields.IdStart >= 0)
        {
            item.Id = StringAt(data, fields.IdStart);
        }

        if (fields.Kind != ResponsesItemKind.Unknown)
        {
            item.Kind = fields.Kind;
        }

        item.Done = true;
        _open?.Remove(item.Index);
        item.Fields = OwnFields(ref fields, data) ?? item.Fields;
        item.CallId ??= fields.CallId;
        var before = contents?.Count ?? 0;
        switch (item.Kind)
        {
            case ResponsesItemKind.Reasoning:
                if (fields.Texts is { } reasoning)
                {
                    foreach (var piece in reasoning)
                    {
                        if (piece is TextReasoningContent r)
                        {
                            item.Text.Add(r.Text);
                            MarkFirstReasoning(item, r, fields.RawReasoning);
                            (contents ??= new(reasoning.Count + 1)).Add(r);
                        }
                    }
                }

                if (fields.EncryptedContent is { } encrypted)
                {
                    var last = new TextReasoningContent(string.Empty) { ProtectedData = encrypted };
                    if (item.ReasoningStarted)
                    {
                        last.AdditionalProperties = ItemIdProperties(item);
                    }
                    else
                    {
                        MarkFirstReasoning(item, last, fields.RawReasoning);
                    }

                    (contents ??= new(1)).Add(last);
                }

                break;

            case ResponsesItemKind.FunctionCall:
                var call = _toolCalls.GetOrAdd(item.Index);
                call.Receive(fields.CallId, fields.Name, ReadOnlySpan<byte>.Empty, argumentsAreObject: false);
                if (!fields.Arguments.IsEmpty)
                {
                    // The done item's arguments are complete: a resumed stream may have seen only the tail of the pieces.
                    call.ReplaceArguments(fields.Arguments, fields.ArgumentsAreObject);
                }

                if (whole && fields.InProgress)
                {
                    // A polled response still writing the call: it goes out complete, at the end, or not at all.
                    break;
                }

                _madeCall = true;
                var completed = _toolCalls.Complete(item.Index)!;
                item.CallId = completed.CallId;
                (contents ??= new(1)).Add(WireFields.Keep(completed, ResponsesKeys.Fields, item.Fields));
                break;

            case ResponsesItemKind.Message:
            case ResponsesItemKind.Unknown:
                if (fields.Texts is { } texts)
                {
                    foreach (var piece in texts)
                    {
                        if (piece is TextContent text)
                        {
                            item.Text.Add(text.Text);
                            (contents ??= new(texts.Count)).Add(GiveFields(item, text));
                        }
                    }
                }

                if (fields.Annotations is { } annotations && _annotated?.Contains(item.Index) != true)
                {
                    // Text that went out from deltas, its annotations not streamed: they join it on an empty text.
                    (contents ??= new(1)).Add(new TextContent(string.Empty) { Annotations = annotations });
                }

                if (fields.Refusal is not null || fields.HadRefusal || item.Refusal is not null)
                {
                    // An item this mapper never saw added, with no refusal pieces either: its refusal went out before.
                    if (fullySeen || item.Refusal is not null)
                    {
                        ReportRefusal(item, fields.Refusal, ref contents);
                    }
                }

                break;

            case ResponsesItemKind.Other:
                // Hosted tools, compaction and items nobody announced: mapped where a type fits, kept verbatim for the next request.
                var json = data[itemStart..(int)reader.BytesConsumed];
                item.Json.Add(json);
                ResponsesHostedItems.Map(json, ref contents);
                break;
        }

        if ((contents?.Count ?? 0) > before)
        {
            _lastWithContent = item;
        }
    }

    /// <summary>Whether an item object's JSON is a function call other than the one with <paramref name="callId"/>.</summary>
    private static bool IsAnotherCall(ReadOnlySpan<byte> item, string? callId)
    {
        var reader = new Utf8JsonReader(item);
        reader.Read();
        var isCall = false;
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isCall = ItemKindOf(ref reader) == ResponsesItemKind.FunctionCall;
            }
            else if (reader.ValueTextEquals("call_id"u8))
            {
                reader.Read();
                id = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return isCall && id != callId;
    }

    /// <summary>Reads an output item object (the reader at its start) into <paramref name="fields"/>.</summary>
    private void ReadItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref ItemFields fields, bool wantText, bool wantReasoning)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                fields.Kind = ItemKindOf(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                fields.IdStart = StringStart(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadPart(ref reader, data, ref fields, wantText, wantReasoning, summary: false);
                }
            }
            else if (reader.ValueTextEquals("summary"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadPart(ref reader, data, ref fields, wantText, wantReasoning, summary: true);
                }
            }
            else if (reader.ValueTextEquals("call_id"u8))
            {
                reader.Read();
                fields.CallId = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                fields.Name = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                JsonReading.TryReadArguments(ref reader, data, out fields.Arguments, out fields.ArgumentsAreObject);
            }
            else if (reader.ValueTextEquals("encrypted_content"u8))
            {
                reader.Read();

                // Other items (compaction) carry encrypted content too: only a reasoning item's is read into text.
                if (fields.Kind is ResponsesItemKind.Reasoning or ResponsesItemKind.Unknown)
                {
                    fields.EncryptedContent = JsonReading.NonEmptyString(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                fields.InProgress = StatusOf(ref reader) == Status.InProgress;
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                // A field the mapping does not use (a message's phase, fields nobody announced): it goes back with the item.
                fields.Unused.Take(ref reader);
            }
        }

        if (fields.Kind != ResponsesItemKind.Reasoning)
        {
            fields.EncryptedContent = null;
        }
    }

    /// <summary>Reads one content or summary part (the reader at its start): text, reasoning or a refusal, whatever the order of its fields.</summary>
    private void ReadPart(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref ItemFields fields, bool wantText, bool wantReasoning, bool summary)
    {
        var kind = summary ? PartKind.Reasoning : PartKind.Unknown;
        var textStart = -1;
        List<AIAnnotation>? annotations = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                var type = PartKindOf(ref reader);
                if (!summary)
                {
                    kind = type;
                }
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                textStart = StringStart(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                fields.HadRefusal = true;
                fields.Refusal = JsonReading.NonEmptyString(ref reader) ?? fields.Refusal;
            }
            else if (!summary && reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var array = data[start..(int)reader.BytesConsumed];
                if (array.IndexOf((byte)'{') >= 0)
                {
                    annotations = ResponsesAnnotations.ReadArray(array);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (textStart < 0)
        {
            return;
        }

        // A part without a type holds answer text in a message and reasoning in a reasoning item.
        if (kind == PartKind.Unknown)
        {
            kind = fields.Kind == ResponsesItemKind.Reasoning ? PartKind.Reasoning : PartKind.Text;
        }

        if (kind == PartKind.Text && wantText && StringAt(data, textStart) is { } text)
        {
            (fields.Texts ??= new(1)).Add(new TextContent(text) { Annotations = annotations });
        }
        else if (kind == PartKind.Text && annotations is not null)
        {
            (fields.Annotations ??= []).AddRange(annotations);
        }
        else if (kind == PartKind.Reasoning && wantReasoning && StringAt(data, textStart) is { } reasoning)
        {
            // Raw reasoning ("content") goes back as content, a summary as summary: the first piece says which.
            fields.RawReasoning |= fields.Texts is null && !summary;
            (fields.Texts ??= new(1)).Add(new TextReasoningContent(reasoning));
        }
    }

    /// <summary>
    /// Names the top-level field of an item event at the reader's property name. The hot path of a stream: every delta's
    /// fields pass here, so a name is told by its length first and compared at most twice; the fields a delta carries but
    /// the mapper never uses (<c>type</c>, <c>content_index</c>, <c>logprobs</c>, <c>obfuscation</c>) fall out after one
    /// or two short comparisons, most by their length alone.
    /// </summary>
    private static ItemEventField ItemEventFieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return EscapedItemEventFieldOf(ref reader);
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            4 => name.SequenceEqual("name"u8) ? ItemEventField.Name
                : name.SequenceEqual("part"u8) ? ItemEventField.Part
                : ItemEventField.Other,
            5 => name.SequenceEqual("delta"u8) ? ItemEventField.Delta : ItemEventField.Other,
            7 => name.SequenceEqual("item_id"u8) ? ItemEventField.ItemId
                : name.SequenceEqual("refusal"u8) ? ItemEventField.Refusal
                : ItemEventField.Other,
            9 => name.SequenceEqual("arguments"u8) ? ItemEventField.Arguments : ItemEventField.Other,
            12 => name.SequenceEqual("output_index"u8) ? ItemEventField.OutputIndex : ItemEventField.Other,
            15 => name.SequenceEqual("sequence_number"u8) ? ItemEventField.SequenceNumber : ItemEventField.Other,
            _ => ItemEventField.Other,
        };
    }

    /// <summary>Names a property name written with escapes (never seen from the API, but valid JSON): compared unescaped.</summary>
    private static ItemEventField EscapedItemEventFieldOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("delta"u8) ? ItemEventField.Delta
        : reader.ValueTextEquals("output_index"u8) ? ItemEventField.OutputIndex
        : reader.ValueTextEquals("sequence_number"u8) ? ItemEventField.SequenceNumber
        : reader.ValueTextEquals("item_id"u8) ? ItemEventField.ItemId
        : reader.ValueTextEquals("arguments"u8) ? ItemEventField.Arguments
        : reader.ValueTextEquals("name"u8) ? ItemEventField.Name
        : reader.ValueTextEquals("refusal"u8) ? ItemEventField.Refusal
        : reader.ValueTextEquals("part"u8) ? ItemEventField.Part
        : ItemEventField.Other;

    /// <summary>Reads the top-level fields of an item event (a delta, <c>.done</c> of arguments, a refusal or a content part).</summary>
    private ItemEvent ReadItemEvent(ReadOnlySpan<byte> payload, bool deltaIsText)
    {
        var reader = ObjectReader(payload);
        var e = new ItemEvent { Index = -1, ItemIdStart = -1 };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            switch (ItemEventFieldOf(ref reader))
            {
                case ItemEventField.Delta:
                    reader.Read();
                    if (deltaIsText)
                    {
                        e.Text = JsonReading.TextOrNull(ref reader);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        e.Raw = payload.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;

                case ItemEventField.OutputIndex:
                    reader.Read();
                    e.Index = JsonReading.Index(ref reader, Name, "output_index");
                    break;

                case ItemEventField.SequenceNumber when _background:
                    // Only a background response's continuation token uses the sequence: otherwise it is skipped unread.
                    reader.Read();
                    ReadSequenceNumber(ref reader);
                    break;

                case ItemEventField.ItemId:
                    reader.Read();
                    e.ItemIdStart = StringStart(ref reader);
                    break;

                case ItemEventField.Arguments:
                    reader.Read();
                    JsonReading.TryReadArguments(ref reader, payload, out e.Arguments, out e.ArgumentsAreObject);
                    break;

                case ItemEventField.Name:
                    reader.Read();
                    e.Name = JsonReading.NonEmptyString(ref reader);
                    break;

                case ItemEventField.Refusal:
                    reader.Read();
                    e.HadRefusal = true;
                    e.Refusal = JsonReading.NonEmptyString(ref reader);
                    break;

                case ItemEventField.Part:
                    reader.Read();
                    ReadPartRefusal(ref reader, ref e);
                    break;

                default:
                    // Skip() from a property name reads its value first: the value, object, array or scalar, is passed over.
                    reader.Skip();
                    break;
            }
        }

        return e;
    }

    /// <summary>Reads the <c>part</c> of a content-part event (the reader at its value): only a refusal part has a <c>refusal</c> field.</summary>
    private static void ReadPartRefusal(ref Utf8JsonReader reader, ref ItemEvent e)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isRefusal = reader.ValueTextEquals("refusal"u8);
            reader.Read();
            if (isRefusal)
            {
                e.HadRefusal = true;
                e.Refusal = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private ChatResponseUpdate? OnTerminal(ReadOnlySpan<byte> payload, Status status)
    {
        var reader = ObjectReader(payload);
        var fields = default(ResponseFields);
        List<AIContent>? contents = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("response"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadResponseObject(ref reader, payload, ref fields, null, ref contents, whole: false);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                SkipOrKeepSequence(ref reader);
            }
        }

        // The response's own status, when it names an end, says how it ended.
        if (fields.Status is Status.Completed or Status.Incomplete or Status.Failed or Status.Cancelled)
        {
            status = fields.Status;
        }

        return Finish(status, ref fields, contents);
    }

    /// <summary>
    /// Reads a <c>response</c> object (the reader at its start): ids, model, status, usage, how it ended, and its output
    /// items: every one when <paramref name="whole"/>, else only those the stream left open.
    /// </summary>
    /// <param name="reader">The reader, at the object's start.</param>
    /// <param name="data">The JSON the reader reads.</param>
    /// <param name="fields">What the object says beyond its items.</param>
    /// <param name="perItem">Where each item's contents go as an update of their own, or <see langword="null"/> to add them to <paramref name="contents"/>.</param>
    /// <param name="contents">The contents of the terminal update.</param>
    /// <param name="whole">Whether this is a complete response read by <see cref="ReadResponse"/> rather than a terminal event.</param>
    private void ReadResponseObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref ResponseFields fields, IList<ChatResponseUpdate>? perItem, ref List<AIContent>? contents, bool whole)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("output"u8))
            {
                reader.Read();
                fields.Seen = true;
                var position = 0;
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    ReadOutputElement(ref reader, data, position++, perItem, ref contents, whole);
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                fields.Seen = true;
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    fields.Id = reader.GetString();
                    _response.KeepResponseId(fields.Id);
                    _latestResponseId = Resumable(fields.Id!);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                _response.MergeUsage(ref reader);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                fields.Seen = true;
                fields.Status = StatusOf(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                _response.ReadModelId(ref reader);
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                reader.Read();
                _response.ReadCreatedAt(ref reader);
            }
            else if (reader.ValueTextEquals("store"u8))
            {
                reader.Read();
                fields.NotStored = reader.TokenType == JsonTokenType.False;
            }
            else if (reader.ValueTextEquals("incomplete_details"u8))
            {
                reader.Read();
                ReadIncompleteDetails(ref reader, ref fields);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String)
                {
                    fields.HasError = true;
                    GatewayError.ReadErrorObject(ref reader, out fields.ErrorMessage, out fields.ErrorType, out fields.ErrorCode);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadIncompleteDetails(ref Utf8JsonReader reader, ref ResponseFields fields)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isReason = reader.ValueTextEquals("reason"u8);
            reader.Read();
            if (isReason)
            {
                fields.IncompleteReason = JsonReading.NonEmptyString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>One element of a response's <c>output</c>, at <paramref name="position"/> (its output index).</summary>
    private void ReadOutputElement(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, int position, IList<ChatResponseUpdate>? perItem, ref List<AIContent>? contents, bool whole)
    {
        var item = whole ? FindItem(position) : MatchTerminal(reader, data);
        if (!whole && (item is { Done: true } || (item is null && _midStream)))
        {
            // Done in the stream, or (for a resumed mapper) done before it resumed: the caller has it.
            SkipItem(ref reader);
            return;
        }

        item ??= NewItem(whole ? position : FreeIndex());
        if (perItem is null)
        {
            // The terminal event completes what the stream left open: in output_index order with what waits (see Release).
            List<AIContent>? completed = null;
            CompleteItem(ref reader, data, item, whole, ref completed);
            if (completed is not null)
            {
                if (item.Held is null)
                {
                    item.Held = completed;
                    _holding++;
                }
                else
                {
                    item.Held.AddRange(completed);
                }
            }

            return;
        }

        List<AIContent>? own = null;
        CompleteItem(ref reader, data, item, whole, ref own);
        if (own is not null)
        {
            Enter(item, own);
            perItem.Add(_response.NewUpdate(own));
        }
    }

    /// <summary>Skips an item the caller already has, noting only whether it was a function call (for the finish reason).</summary>
    private void SkipItem(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("function_call"u8))
            {
                _madeCall = true;
            }

            reader.Skip();
        }
    }

    /// <summary>Ends the response: a failure is thrown; otherwise the last update, with what is still open, usage and the finish reason.</summary>
    private ChatResponseUpdate Finish(Status status, ref ResponseFields fields, List<AIContent>? contents)
    {
        IsCompleted = true;
        if (status == Status.Failed || fields.HasError)
        {
            throw Failure(ref fields);
        }

        if (status == Status.Cancelled)
        {
            throw GatewayError.InStream("The response was cancelled before it was complete.", "cancelled", null);
        }

        if (_holding > 0)
        {
            List<AIContent>? released = null;
            Release(ref released, all: true);
            if (contents is not null)
            {
                released!.AddRange(contents);
            }

            contents = released;
        }

        if (_toolCalls.HasPending)
        {
            // Calls the server never said were done: they are as complete as they will get.
            _madeCall = true;
            _toolCalls.CompleteAll(contents ??= new(1));
        }

        if (_refusalPending)
        {
            foreach (var item in _items.Values)
            {
                if (item.Refusal is not null)
                {
                    ReportRefusal(item, null, ref contents);
                }
            }
        }

        _response.FlushHeld(ref contents);
        _response.TakeUsage(ref contents);
        var finishReason = status == Status.Incomplete ? IncompleteReason(fields.IncompleteReason)
            : _refused ? ChatFinishReason.ContentFilter
            : _madeCall ? ChatFinishReason.ToolCalls
            : ChatFinishReason.Stop;
        _response.MessageId = _messageId;
        var update = _response.NewUpdate(contents, finishReason);
        if (_conversation is not null)
        {
            // A conversation the server keeps goes on: the next request adds to it, never chains on this response.
            update.ConversationId = _conversation;
        }
        else if (_stored && !fields.NotStored && fields.Id is not null)
        {
            // The id a later previous_response_id must name is the terminal event's.
            update.ConversationId = fields.Id;
        }

        return update;
    }

    /// <summary>A polled response still running: one update with what it holds so far and the token to poll again.</summary>
    private ChatResponseUpdate Polled(IList<ChatResponseUpdate> updates, int first)
    {
        var id = _latestResponseId is { } latest && ResponsesContinuationToken.IsPathSegment(latest)
            ? latest
            : throw ClientErrors.InvalidResponse(Name, "a response still in progress has no id to poll it by (none, or one that is no path segment such as '..')");
        List<AIContent>? contents = null;
        for (var i = first; i < updates.Count; i++)
        {
            (contents ??= []).AddRange(updates[i].Contents);
        }

        while (updates.Count > first)
        {
            updates.RemoveAt(updates.Count - 1);
        }

        _response.MessageId = _messageId;
        var update = _response.NewUpdate(contents);
#pragma warning disable MEAI001 // ContinuationToken is experimental.
        update.ContinuationToken = new ResponsesContinuationToken(id, null);
#pragma warning restore MEAI001
        return update;
    }

    private void ReportRefusal(ResponsesOutputItem item, string? complete, ref List<AIContent>? contents)
    {
        if (item.RefusalReported)
        {
            return;
        }

        // The complete text of a done event wins over the pieces, of which a resumed stream may have seen only the tail.
        var text = complete ?? item.Refusal?.ToString() ?? string.Empty;
        item.RefusalReported = true;
        item.Refusal = null;
        _refused = true;
        (contents ??= new(1)).Add(new ErrorContent(text) { ErrorCode = RefusalCode });
    }

    /// <summary>The unused fields of a message, reasoning or function-call item; an item kept as it came carries its fields in its JSON.</summary>
    private static string? OwnFields(ref ItemFields fields, ReadOnlySpan<byte> data) =>
        fields.Kind is ResponsesItemKind.Message or ResponsesItemKind.Reasoning or ResponsesItemKind.FunctionCall ? fields.Unused.ToJson(data) : null;

    /// <summary>Marks the first reasoning piece of an item: its id, its unused fields, and whether it is raw reasoning (<c>content</c>) rather than a summary.</summary>
    private static void MarkFirstReasoning(ResponsesOutputItem item, TextReasoningContent piece, bool raw)
    {
        if (item.ReasoningStarted)
        {
            return;
        }

        item.ReasoningStarted = true;
        piece.AdditionalProperties = ItemIdProperties(item);
        if (raw)
        {
            (piece.AdditionalProperties ??= [])[ResponsesKeys.ReasoningPart] = ResponsesKeys.RawReasoning;
        }

        GiveFields(item, piece);
    }

    /// <summary>Puts the item's unused fields on its first text or reasoning piece (whose properties survive merging), once.</summary>
    private static T GiveFields<T>(ResponsesOutputItem item, T piece)
        where T : AIContent
    {
        if (!item.FieldsGiven && item.Fields is { } fields)
        {
            item.FieldsGiven = true;
            WireFields.Keep(piece, ResponsesKeys.Fields, fields);
        }

        return piece;
    }

    private static AdditionalPropertiesDictionary? ItemIdProperties(ResponsesOutputItem item) =>
        item.Id is { } id ? new() { [ResponsesKeys.ItemId] = id } : null;

    private void KeepLatestResponseId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0)
        {
            reader.Skip();
            return;
        }

        // Some servers change the id between response.created and response.in_progress: the token names the latest.
        if (_latestResponseId is null || !reader.ValueTextEquals(_latestResponseId))
        {
            var id = reader.GetString()!;
            _response.KeepResponseId(id);
            _latestResponseId = Resumable(id);
        }
    }

    /// <summary>
    /// Returns <paramref name="id"/>, the id a background response is resumed or polled by (in the path
    /// <c>responses/{id}</c>), unless it is no path segment: then the response cannot be resumed, and is an error.
    /// </summary>
    private string Resumable(string id) => !_background || ResponsesContinuationToken.IsPathSegment(id)
        ? id
        : throw ClientErrors.InvalidResponse(Name, $"the response id '{GatewayError.Truncate(id)}' cannot name the response in a path to resume or poll it by");

    /// <summary>Keeps the <c>sequence_number</c> at the reader's position; read only for a background response, whose continuation token is its one use.</summary>
    private void ReadSequenceNumber(ref Utf8JsonReader reader)
    {
        if (_background && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var sequence) && sequence >= 0)
        {
            _sequence = sequence;
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>Finds an event's top-level <c>sequence_number</c>, or <see langword="null"/> when it has none that can be read.</summary>
    private static long? PeekSequenceNumber(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSequence = reader.ValueTextEquals("sequence_number"u8);
                reader.Read();
                if (isSequence)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var sequence) && sequence >= 0 ? sequence : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Read properly (and reported) by the event's handler.
        }

        return null;
    }

    /// <summary>Keeps the <c>sequence_number</c> of an event that is otherwise skipped; one that cannot be read is skipped whole.</summary>
    private void ScanSequenceNumber(ReadOnlySpan<byte> payload)
    {
        if (_background && PeekSequenceNumber(payload) is { } sequence)
        {
            _sequence = sequence;
        }
    }

    /// <summary>Reads the field at the reader's property name: the <c>sequence_number</c> is kept, any other field skipped.</summary>
    private void SkipOrKeepSequence(ref Utf8JsonReader reader)
    {
        var isSequence = reader.ValueTextEquals("sequence_number"u8);
        reader.Read();
        if (isSequence)
        {
            ReadSequenceNumber(ref reader);
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>An event without <c>output_index</c> belongs to the item being streamed.</summary>
    private int ResolveIndex(int index) => index >= 0 ? index : _current?.Index ?? -1;

    private ResponsesOutputItem? FindItem(int index)
    {
        if (_current is { } current && current.Index == index)
        {
            return current;
        }

        if (_items.TryGetValue(index, out var item))
        {
            _current = item;
        }

        return item;
    }

    private ResponsesOutputItem NewItem(int index)
    {
        if (_items.Count >= ResponseLimits.MaxOutputItems)
        {
            throw ClientErrors.TooLarge("The number of output items in the gateway's response", ResponseLimits.MaxOutputItems);
        }

        var item = new ResponsesOutputItem(index);
        _items.Add(index, item);
        _current = item;
        return item;
    }

    /// <summary>The item an event is about, created when this is the first the mapper hears of it (a resumed stream).</summary>
    private ResponsesOutputItem ItemAt(int index, ReadOnlySpan<byte> payload, int itemIdStart)
    {
        index = ResolveIndex(index);
        var item = FindItem(index) ?? NewItem(index);
        if (item.Id is null && itemIdStart >= 0)
        {
            item.Id = StringAt(payload, itemIdStart);
        }

        return item;
    }

    /// <summary>
    /// Sets the message id of the updates from <paramref name="item"/> on: one assistant message per message item. The
    /// first message item's updates, and those of the reasoning and function-call items around it, carry the response id
    /// (a response of one message is one message, as on the other protocols); a later message item (a response may hold
    /// several, "commentary" then "final_answer") opens a message of its own under the item's id, which the reasoning and
    /// calls after it join.
    /// </summary>
    private void Enter(ResponsesOutputItem? item, List<AIContent>? contents)
    {
        var isMessage = item is not null && (item.Kind == ResponsesItemKind.Message
            || (item.Kind == ResponsesItemKind.Unknown && contents is not null && contents.Exists(static c => c is TextContent or ErrorContent)));
        if (isMessage && !ReferenceEquals(item, _firstMessage))
        {
            if (_firstMessage is null)
            {
                _firstMessage = item;
            }
            else
            {
                _messageId = item!.Id ?? (_response.ResponseId + "/" + item.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        _response.MessageId = _messageId;
    }

    /// <summary>
    /// An update of the item (or of the response, for <see langword="null"/>), with the continuation token of a background
    /// response; <see langword="null"/> when the item's contents wait for an item before it (see <see cref="Release"/>).
    /// </summary>
    private ChatResponseUpdate? ItemUpdate(ResponsesOutputItem? item, List<AIContent>? contents)
    {
        if (item is not null && contents is not null && IsHeldBack(item))
        {
            if (item.Held is null)
            {
                item.Held = contents;
                _holding++;
            }
            else
            {
                item.Held.AddRange(contents);
            }

            contents = null;
        }

        if (contents is not null || item is null)
        {
            Enter(item, contents);
        }

        if (_holding > 0)
        {
            Release(ref contents, all: false);
        }

        if (item is not null && contents is null)
        {
            return null;
        }

        _lastWithContent = item ?? _lastWithContent;
        var update = _response.NewUpdate(contents);
        if (_background)
        {
#pragma warning disable MEAI001 // ContinuationToken is experimental.
            update.ContinuationToken = Continuation;
#pragma warning restore MEAI001
        }

        return update;
    }

    /// <summary>
    /// Whether an item's contents must wait: items can complete out of order ("output_item.done for index 4 before index
    /// 2"), and the history keeps them in <c>output_index</c> order, as the complete response lists them, so an item's
    /// contents wait while an item before it that was added is not done (and behind the contents of its own that wait).
    /// </summary>
    private bool IsHeldBack(ResponsesOutputItem item) => item.Held is not null || (_open is { Count: > 0 } open && open.Min < item.Index);

    /// <summary>
    /// Adds the waiting contents of the items no open item precedes (every item's, when <paramref name="all"/>), in
    /// <c>output_index</c> order, after <paramref name="contents"/>.
    /// </summary>
    private void Release(ref List<AIContent>? contents, bool all)
    {
        var bound = !all && _open is { Count: > 0 } open ? open.Min : int.MaxValue;
        List<ResponsesOutputItem>? due = null;
        foreach (var item in _items.Values)
        {
            if (item.Held is not null && item.Index < bound)
            {
                (due ??= []).Add(item);
            }
        }

        if (due is null)
        {
            return;
        }

        due.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        foreach (var item in due)
        {
            Enter(item, item.Held);
            (contents ??= new(item.Held!.Count)).AddRange(item.Held!);
            item.Held = null;
            _holding--;
        }
    }

    /// <summary>
    /// Finds the streamed item an element of the terminal output is (the reader, a copy, at the element's start): "position
    /// N is not output_index N", so never by position: by item id, else (ids rotate) by call id or by the text the stream
    /// delivered for it, else the first item of its kind the stream left open; <see langword="null"/> for an item the stream
    /// never sent.
    /// </summary>
    private ResponsesOutputItem? MatchTerminal(Utf8JsonReader reader, ReadOnlySpan<byte> data)
    {
        var start = (int)reader.TokenStartIndex;
        string? id = null;
        string? callId = null;
        var kind = ResponsesItemKind.Unknown;
        var text = new TextFingerprint();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = ItemKindOf(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("call_id"u8))
            {
                reader.Read();
                callId = JsonReading.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("summary"u8))
            {
                reader.Read();
                while (JsonReading.NextObjectInArray(ref reader))
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isText = reader.ValueTextEquals("text"u8);
                        reader.Read();
                        if (isText && reader.TokenType == JsonTokenType.String)
                        {
                            text.Add(JsonReading.ReadString(ref reader));
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var json = new TextFingerprint();
        json.Add(data[start..(int)reader.BytesConsumed]);
        ResponsesOutputItem? byContent = null;
        ResponsesOutputItem? open = null;
        foreach (var item in _items.Values)
        {
            if (item.Matched)
            {
                continue;
            }

            if (id is not null && item.Id == id)
            {
                return Matched(item);
            }

            if (byContent is null && (item.Kind == kind || item.Kind == ResponsesItemKind.Unknown)
                && ((callId is not null && item.CallId == callId) || item.Text.SameNonEmpty(text) || item.Json.SameNonEmpty(json)))
            {
                byContent = item;
            }

            if (!item.Done && (item.Kind == kind || item.Kind == ResponsesItemKind.Unknown) && (open is null || item.Index < open.Index))
            {
                open = item;
            }
        }

        return byContent is not null ? Matched(byContent) : open is not null ? Matched(open) : null;

        static ResponsesOutputItem Matched(ResponsesOutputItem item)
        {
            item.Matched = true;
            return item;
        }
    }

    /// <summary>An output index no item has: the place of a terminal output item the stream never sent.</summary>
    private int FreeIndex()
    {
        var next = 0;
        foreach (var index in _items.Keys)
        {
            next = Math.Max(next, index + 1);
        }

        return next;
    }

    /// <summary>The top-level fields of an item event, as far as the mapper uses them.</summary>
    private ref struct ItemEvent
    {
        public int Index;
        public int ItemIdStart;
        public string? Text;
        public ReadOnlySpan<byte> Raw;
        public ReadOnlySpan<byte> Arguments;
        public bool ArgumentsAreObject;
        public string? Name;
        public string? Refusal;
        public bool HadRefusal;
    }

    /// <summary>The fields of one output item, as far as the mapper uses them.</summary>
    private ref struct ItemFields
    {
        public ResponsesItemKind Kind;
        public int IdStart;
        public string? CallId;
        public string? Name;
        public ReadOnlySpan<byte> Arguments;
        public bool ArgumentsAreObject;
        public string? EncryptedContent;
        public string? Refusal;
        public bool HadRefusal;
        public bool InProgress;
        public List<AIContent>? Texts;
        public List<AIAnnotation>? Annotations;
        public bool RawReasoning;
        public UnusedFields Unused;
    }

    /// <summary>What a <c>response</c> object says beyond its items.</summary>
    private ref struct ResponseFields
    {
        public bool Seen;
        public string? Id;
        public Status Status;
        public bool NotStored;
        public string? IncompleteReason;
        public bool HasError;
        public string? ErrorMessage;
        public string? ErrorType;
        public string? ErrorCode;
    }
}
