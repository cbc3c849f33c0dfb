using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Renders a scripted <see cref="EmulatorReply"/> in the OpenAI Responses wire format (<c>POST /v1/responses</c>): a stream
/// of typed events (<c>event: &lt;type&gt;</c> with a <c>data:</c> object of the same <c>type</c> and an increasing
/// <c>sequence_number</c> from 0), or one <c>response</c> object.
/// </summary>
/// <remarks>
/// <para>A stream is <c>response.created</c> (status <c>queued</c> for a background request, else <c>in_progress</c>),
/// <c>response.in_progress</c>, then one output item per content part at an increasing <c>output_index</c>, each opened by
/// <c>response.output_item.added</c> and closed by <c>response.output_item.done</c> carrying the complete item, then one
/// terminal event whose <c>response</c> holds every item: <c>response.completed</c>, <c>response.incomplete</c> (finish
/// reason Length → <c>max_output_tokens</c>, ContentFilter → <c>content_filter</c>, another value of no known kind →
/// that value), or, for a stream error, an <c>error</c> event followed by <c>response.failed</c>.</para>
/// <list type="table">
/// <listheader><term>Part</term><description>Item and events</description></listheader>
/// <item><term>text, refusal</term><description>A <c>message</c> item (<c>msg_item_emu_N</c>); consecutive text and
/// refusal parts of one phase share it, each a content part at an increasing <c>content_index</c>:
/// <c>response.content_part.added</c>, <c>response.output_text.delta</c>s (or <c>response.refusal.delta</c>s),
/// <c>response.output_text.done</c> (<c>response.refusal.done</c>), <c>response.content_part.done</c>.</description></item>
/// <item><term>reasoning</term><description>A <c>reasoning</c> item (<c>rs_emu_N</c>) with one summary part:
/// <c>response.reasoning_summary_part.added</c>, <c>response.reasoning_summary_text.delta</c>s,
/// <c>response.reasoning_summary_text.done</c>, <c>response.reasoning_summary_part.done</c> (none of them for empty text);
/// a signature is the item's <c>encrypted_content</c> at <c>response.output_item.done</c> only.</description></item>
/// <item><term>raw reasoning</term><description>The same item with a <c>reasoning_text</c> content part instead:
/// <c>response.content_part.added</c>, <c>response.reasoning_text.delta</c>s, <c>response.reasoning_text.done</c>,
/// <c>response.content_part.done</c>.</description></item>
/// <item><term>redacted reasoning</term><description>A <c>reasoning</c> item with an empty <c>summary</c> and the data as
/// <c>encrypted_content</c> at <c>response.output_item.done</c>.</description></item>
/// <item><term>tool call</term><description>A <c>function_call</c> item (<c>fc_emu_N</c>, <c>call_id</c> scripted or
/// <c>call_emu_N</c>) with <c>arguments: ""</c> at <c>added</c>, one <c>response.function_call_arguments.delta</c> per
/// piece, <c>response.function_call_arguments.done</c> with the whole arguments (and no <c>name</c>).</description></item>
/// <item><term>web search, web fetch</term><description>A <c>web_search_call</c> item (<c>ws_emu_N</c>):
/// <c>response.web_search_call.in_progress</c>, <c>.searching</c>, <c>.completed</c>; its <c>action</c> (<c>search</c> with
/// query and sources, or <c>open_page</c> with the address) only in the done item.</description></item>
/// <item><term>file search</term><description>A <c>file_search_call</c> item (<c>fs_emu_N</c>):
/// <c>response.file_search_call.in_progress</c>, <c>.searching</c>, <c>.completed</c>; <c>results</c> only in the done
/// item.</description></item>
/// <item><term>code execution</term><description>A <c>code_interpreter_call</c> item (<c>ci_emu_N</c>, container
/// <c>cntr_emu_N</c>): <c>response.code_interpreter_call.in_progress</c>, <c>response.code_interpreter_call_code.delta</c>s,
/// <c>response.code_interpreter_call_code.done</c>, <c>.interpreting</c>, <c>.completed</c>; <c>outputs</c> (logs,
/// images) only in the done item.</description></item>
/// <item><term>image generation</term><description>An <c>image_generation_call</c> item (<c>ig_emu_N</c>):
/// <c>.in_progress</c>, <c>.generating</c>, one <c>response.image_generation_call.partial_image</c> per partial image,
/// <c>.completed</c>; <c>result</c> only in the done item.</description></item>
/// <item><term>MCP call</term><description>An <c>mcp_call</c> item (<c>mcp_emu_N</c>): <c>response.mcp_call.in_progress</c>,
/// <c>response.mcp_call_arguments.delta</c>s, <c>response.mcp_call_arguments.done</c>, <c>response.mcp_call.completed</c>
/// (or <c>.failed</c>).</description></item>
/// <item><term>MCP approval request, raw item</term><description>An <c>mcp_approval_request</c> item, or the scripted item
/// as written; the same at <c>added</c> and <c>done</c>, no events between.</description></item>
/// <item><term>citations</term><description><c>url_citation</c> annotations of a text part: one
/// <c>response.output_text.annotation.added</c> each after its text deltas, and in the done part's <c>annotations</c>.</description></item>
/// <item><term>padding</term><description>A <c>keepalive</c> event with a long <c>padding</c> field, between items.</description></item>
/// </list>
/// <para>The response object is <c>{id, object:"response", created_at, status, background, error, incomplete_details, model,
/// output, previous_response_id, store, usage}</c>; <c>background</c>, <c>store</c> and <c>previous_response_id</c> echo the
/// request. Errors are <c>{"error":{"message","type","code","param"}}</c>.</para>
/// </remarks>
internal sealed partial class ResponsesRenderer : IStatefulRenderer
{
    private const string MessageIdPrefix = "msg_item_emu_";
    private const string ReasoningIdPrefix = "rs_emu_";
    private const string FunctionCallIdPrefix = "fc_emu_";
    private const string CallIdPrefix = "call_emu_";
    private const string WebSearchIdPrefix = "ws_emu_";
    private const string FileSearchIdPrefix = "fs_emu_";
    private const string CodeInterpreterIdPrefix = "ci_emu_";
    private const string ContainerIdPrefix = "cntr_emu_";
    private const string ImageGenerationIdPrefix = "ig_emu_";
    private const string McpCallIdPrefix = "mcp_emu_";

    private ResponsesRenderer()
    {
    }

    /// <summary>Gets the one instance.</summary>
    public static ResponsesRenderer Instance { get; } = new();

    /// <inheritdoc />
    public string Route => "responses";

    /// <inheritdoc />
    public string ResponseIdPrefix => "resp_emu_";

    /// <inheritdoc />
    /// <remarks>The events a live stream sends: all but the terminal event when the reply is truncated.</remarks>
    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context) => Render(reply, context).Live;

    /// <inheritdoc />
    /// <remarks>The response object of the terminal event.</remarks>
    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context) => Render(reply, context).Final;

    /// <inheritdoc />
    /// <remarks><c>{"error":{"message","type","code","param"}}</c>, a missing code or param <c>null</c>; the request id is
    /// not used.</remarks>
    public byte[] RenderError(ReplyError error, IdCounter ids) => EmulatorJson.RenderNestedError(error);

    /// <inheritdoc />
    /// <remarks>Stored and background responses, <c>previous_response_id</c> checks and <c>GET /v1/responses/{id}</c>.</remarks>
    public IProtocolState CreateState() => new ResponsesEndpoint();

    /// <summary>Renders every view of one response at once: its events, and its response object in each state.</summary>
    public ResponsesRendering Render(EmulatorReply reply, RenderContext context)
    {
        var request = ResponsesRequestFields.Read(context.Request);
        var items = Plan(reply, context.Ids);
        var outputs = items.Where(i => i.Kind != ResponsesItemKind.Padding).ToList();
        var events = new List<SseEvent>();

        void Add(string type, Action<Utf8JsonWriter> writeFields)
        {
            var sequenceNumber = events.Count;
            events.Add(new SseEvent(type, EmulatorJson.Render(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                w.WriteNumber("sequence_number", sequenceNumber);
                writeFields(w);
                w.WriteEndObject();
            })));
        }

        var pending = new ResponsesStatus(request.Background ? "queued" : "in_progress");
        Add("response.created", w => WriteResponseProperty(w, context, request, pending, outputs: null, usage: null));
        Add("response.in_progress", w => WriteResponseProperty(w, context, request, ResponsesStatus.InProgress, outputs: null, usage: null));

        var outputIndex = 0;
        foreach (var item in items)
        {
            if (item.Kind == ResponsesItemKind.Padding)
            {
                var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"keepalive\",\"sequence_number\":{events.Count},\"padding\":\"");
                events.Add(SseEvent.Padding("keepalive", prefix, item.Part.PaddingBytes));
                continue;
            }

            var index = outputIndex++;
            Add("response.output_item.added", w =>
            {
                w.WriteNumber("output_index", index);
                w.WritePropertyName("item");
                WriteItem(w, item, done: false);
            });
            AddItemEvents(item, index, Add);
            Add("response.output_item.done", w =>
            {
                w.WriteNumber("output_index", index);
                w.WritePropertyName("item");
                WriteItem(w, item, done: true);
            });
        }

        var final = FinalState(reply);
        var usage = final.Status == "failed" ? null : reply.Usage;
        if (reply.StreamError is { } error)
        {
            Add("error", w =>
            {
                // The event's one field for what failed, as in response.failed: the code, or the type when no code is given.
                w.WriteString("code", error.Code ?? error.Type);
                w.WriteString("message", error.Message);
                w.WriteNull("param");
            });
        }

        Add("response." + final.Status, w => WriteResponseProperty(w, context, request, final, outputs, usage));
        var liveCount = reply.IsTruncated && reply.StreamError is null ? events.Count - 1 : events.Count;

        return new ResponsesRendering(
            context.ResponseId,
            request,
            events,
            liveCount,
            EmulatorJson.Render(w => WriteResponse(w, context, request, final, outputs, usage)),
            EmulatorJson.Render(w => WriteResponse(w, context, request, new ResponsesStatus("queued"), outputs: null, usage: null)),
            EmulatorJson.Render(w => WriteResponse(w, context, request, ResponsesStatus.InProgress, outputs: null, usage: null)));
    }

    /// <summary>Maps the scripted end of a reply to the status of its terminal event.</summary>
    private static ResponsesStatus FinalState(EmulatorReply reply)
    {
        if (reply.StreamError is { } error)
        {
            return new ResponsesStatus("failed") { Error = error };
        }

        return reply.EffectiveFinishReason switch
        {
            null => ResponsesStatus.Completed,
            { } r when r == ChatFinishReason.Stop || r == ChatFinishReason.ToolCalls => ResponsesStatus.Completed,
            { } r when r == ChatFinishReason.Length => new ResponsesStatus("incomplete") { IncompleteReason = "max_output_tokens" },
            { } r when r == ChatFinishReason.ContentFilter => new ResponsesStatus("incomplete") { IncompleteReason = "content_filter" },
            { } r => new ResponsesStatus("incomplete") { IncompleteReason = r.Value },
        };
    }

    /// <summary>Groups the parts into output items and gives each its ids: consecutive text and refusal parts of one
    /// phase make one message item; every other part is an item of its own.</summary>
    private static List<ResponsesOutputItem> Plan(EmulatorReply reply, IdCounter ids)
    {
        var items = new List<ResponsesOutputItem>();
        List<ReplyPart>? message = null;
        foreach (var part in reply.Parts)
        {
            if (part.Kind is ReplyPartKind.Text or ReplyPartKind.Refusal)
            {
                if (message is not null && string.Equals(message[0].Phase, part.Phase, StringComparison.Ordinal))
                {
                    message.Add(part);
                    continue;
                }

                message = [part];
                items.Add(new ResponsesOutputItem(ResponsesItemKind.Message, ids.Next(MessageIdPrefix), message));
                continue;
            }

            message = null;
            items.Add(part.Kind switch
            {
                ReplyPartKind.Reasoning or ReplyPartKind.RedactedReasoning => new ResponsesOutputItem(ResponsesItemKind.Reasoning, ids.Next(ReasoningIdPrefix), [part]),
                ReplyPartKind.ToolCall => new ResponsesOutputItem(ResponsesItemKind.FunctionCall, ids.Next(FunctionCallIdPrefix), [part], part.CallId ?? ids.Next(CallIdPrefix)),
                ReplyPartKind.WebSearch or ReplyPartKind.WebFetch => new ResponsesOutputItem(ResponsesItemKind.WebSearchCall, part.CallId ?? ids.Next(WebSearchIdPrefix), [part]),
                ReplyPartKind.FileSearch => new ResponsesOutputItem(ResponsesItemKind.FileSearchCall, part.CallId ?? ids.Next(FileSearchIdPrefix), [part]),
                ReplyPartKind.CodeExecution => new ResponsesOutputItem(ResponsesItemKind.CodeInterpreterCall, part.CallId ?? ids.Next(CodeInterpreterIdPrefix), [part], ids.Next(ContainerIdPrefix)),
                ReplyPartKind.ImageGeneration => new ResponsesOutputItem(ResponsesItemKind.ImageGenerationCall, part.CallId ?? ids.Next(ImageGenerationIdPrefix), [part]),
                ReplyPartKind.McpCall => new ResponsesOutputItem(ResponsesItemKind.McpCall, part.CallId ?? ids.Next(McpCallIdPrefix), [part]),
                ReplyPartKind.McpApprovalRequest => new ResponsesOutputItem(ResponsesItemKind.McpApprovalRequest, part.CallId ?? string.Empty, [part]),
                ReplyPartKind.RawItem => new ResponsesOutputItem(ResponsesItemKind.Raw, string.Empty, [part]),
                _ => new ResponsesOutputItem(ResponsesItemKind.Padding, string.Empty, [part]),
            });
        }

        return items;
    }

    /// <summary>Adds the events between an item's <c>added</c> and <c>done</c>.</summary>
    private static void AddItemEvents(ResponsesOutputItem item, int outputIndex, Action<string, Action<Utf8JsonWriter>> add)
    {
        void ItemFields(Utf8JsonWriter w)
        {
            w.WriteString("item_id", item.Id);
            w.WriteNumber("output_index", outputIndex);
        }

        // The part's pieces as <prefix>.delta events, then <prefix>.done with the whole text under <field>.
        void AddPieces(string prefix, string field)
        {
            foreach (var piece in item.Part.Pieces)
            {
                add(prefix + ".delta", w =>
                {
                    ItemFields(w);
                    w.WriteString("delta", piece);
                });
            }

            add(prefix + ".done", w =>
            {
                ItemFields(w);
                w.WriteString(field, item.Part.Text);
            });
        }

        switch (item.Kind)
        {
            case ResponsesItemKind.Message:
                for (var contentIndex = 0; contentIndex < item.Parts.Count; contentIndex++)
                {
                    var part = item.Parts[contentIndex];
                    var ci = contentIndex;
                    var (deltaType, doneType, field) = part.Kind == ReplyPartKind.Refusal
                        ? ("response.refusal.delta", "response.refusal.done", "refusal")
                        : ("response.output_text.delta", "response.output_text.done", "text");
                    AddContentParts(item, outputIndex, ci, part, deltaType, doneType, field, add);
                }

                break;

            case ResponsesItemKind.Reasoning when item.Part.Kind == ReplyPartKind.Reasoning && item.Part.Text.Length > 0:
                if (item.Part.IsRaw)
                {
                    AddContentParts(item, outputIndex, 0, item.Part, "response.reasoning_text.delta", "response.reasoning_text.done", "text", add);
                    break;
                }

                void SummaryFields(Utf8JsonWriter w)
                {
                    ItemFields(w);
                    w.WriteNumber("summary_index", 0);
                }

                add("response.reasoning_summary_part.added", w =>
                {
                    SummaryFields(w);
                    w.WritePropertyName("part");
                    WriteSummaryPart(w, string.Empty);
                });
                foreach (var piece in item.Part.Pieces)
                {
                    add("response.reasoning_summary_text.delta", w =>
                    {
                        SummaryFields(w);
                        w.WriteString("delta", piece);
                    });
                }

                add("response.reasoning_summary_text.done", w =>
                {
                    SummaryFields(w);
                    w.WriteString("text", item.Part.Text);
                });
                add("response.reasoning_summary_part.done", w =>
                {
                    SummaryFields(w);
                    w.WritePropertyName("part");
                    WriteSummaryPart(w, item.Part.Text);
                });
                break;

            case ResponsesItemKind.WebSearchCall:
                add("response.web_search_call.in_progress", ItemFields);
                add("response.web_search_call.searching", ItemFields);
                add("response.web_search_call.completed", ItemFields);
                break;

            case ResponsesItemKind.FileSearchCall:
                add("response.file_search_call.in_progress", ItemFields);
                add("response.file_search_call.searching", ItemFields);
                add("response.file_search_call.completed", ItemFields);
                break;

            case ResponsesItemKind.CodeInterpreterCall:
                add("response.code_interpreter_call.in_progress", ItemFields);
                AddPieces("response.code_interpreter_call_code", "code");
                add("response.code_interpreter_call.interpreting", ItemFields);
                add("response.code_interpreter_call.completed", ItemFields);
                break;

            case ResponsesItemKind.ImageGenerationCall:
                add("response.image_generation_call.in_progress", ItemFields);
                add("response.image_generation_call.generating", ItemFields);
                var partials = item.Part.Image!.PartialImages;
                for (var i = 0; i < partials.Count; i++)
                {
                    var partialIndex = i;
                    add("response.image_generation_call.partial_image", w =>
                    {
                        ItemFields(w);
                        w.WriteNumber("partial_image_index", partialIndex);
                        w.WriteString("partial_image_b64", partials[partialIndex]);
                    });
                }

                add("response.image_generation_call.completed", ItemFields);
                break;

            case ResponsesItemKind.McpCall:
                add("response.mcp_call.in_progress", ItemFields);
                AddPieces("response.mcp_call_arguments", "arguments");
                add(item.Part.Mcp!.IsError ? "response.mcp_call.failed" : "response.mcp_call.completed", ItemFields);
                break;

            case ResponsesItemKind.FunctionCall:
                AddPieces("response.function_call_arguments", "arguments");
                break;
        }
    }

    /// <summary>Adds the events of one content part: <c>content_part.added</c>, its deltas, its done event, <c>content_part.done</c>.</summary>
    private static void AddContentParts(ResponsesOutputItem item, int outputIndex, int contentIndex, ReplyPart part, string deltaType, string doneType, string field, Action<string, Action<Utf8JsonWriter>> add)
    {
        void Fields(Utf8JsonWriter w)
        {
            w.WriteString("item_id", item.Id);
            w.WriteNumber("output_index", outputIndex);
            w.WriteNumber("content_index", contentIndex);
        }

        add("response.content_part.added", w =>
        {
            Fields(w);
            w.WritePropertyName("part");
            WriteContentPart(w, part, done: false);
        });
        foreach (var piece in part.Pieces)
        {
            add(deltaType, w =>
            {
                Fields(w);
                w.WriteString("delta", piece);
            });
        }

        for (var i = 0; i < part.Citations.Count; i++)
        {
            var annotationIndex = i;
            add("response.output_text.annotation.added", w =>
            {
                Fields(w);
                w.WriteNumber("annotation_index", annotationIndex);
                w.WritePropertyName("annotation");
                WriteAnnotation(w, part.Citations[annotationIndex], part.Text.Length);
            });
        }

        add(doneType, w =>
        {
            Fields(w);
            w.WriteString(field, part.Text);
        });
        add("response.content_part.done", w =>
        {
            Fields(w);
            w.WritePropertyName("part");
            WriteContentPart(w, part, done: true);
        });
    }
}
