using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Renders a scripted <see cref="EmulatorReply"/> in the Chat Completions wire format (<c>POST /v1/chat/completions</c>):
/// a stream of <c>chat.completion.chunk</c> events ended by <c>[DONE]</c>, or one <c>chat.completion</c> object.
/// </summary>
/// <remarks>
/// Reasoning goes out as <c>reasoning_content</c> (raw reasoning too) and a refusal as <c>refusal</c>; a text part's phase
/// is not sent. A reasoning signature rides on the last piece of its part as
/// <c>reasoning_details: [{"type":"reasoning.text","text":…,"signature":…}]</c> and redacted reasoning as
/// <c>reasoning_details: [{"type":"reasoning.encrypted","data":…}]</c>, the way OpenRouter sends them. Cache-creation
/// tokens have no field here and are left out. Citations are <c>url_citation</c> annotations: a delta of their own
/// after their text part, and the complete message's <c>annotations</c>, indexed into the whole <c>content</c>. Hosted tool
/// calls (web search and fetch, file search, code execution, MCP), MCP approval requests, image generations and raw blocks have no
/// shape here and are left out.
/// </remarks>
internal sealed class ChatCompletionsRenderer : IProtocolRenderer
{
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly byte[] PaddingPayloadPrefix = "{\"padding\":\""u8.ToArray();

    private ChatCompletionsRenderer()
    {
    }

    /// <summary>Gets the one instance.</summary>
    public static ChatCompletionsRenderer Instance { get; } = new();

    /// <inheritdoc />
    public string Route => "chat/completions";

    /// <inheritdoc />
    public string ResponseIdPrefix => "chatcmpl-emu-";

    /// <inheritdoc />
    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context)
    {
        // Role chunk: {"role":"assistant","content":""}.
        yield return Chunk(context, static w =>
        {
            w.WriteString("role", "assistant");
            w.WriteString("content", string.Empty);
        });

        var toolIndex = 0;
        var textOffset = 0;
        foreach (var part in reply.Parts)
        {
            switch (part.Kind)
            {
                case ReplyPartKind.Reasoning:
                    for (var i = 0; i < part.Pieces.Count; i++)
                    {
                        var piece = part.Pieces[i];
                        var signature = i == part.Pieces.Count - 1 ? part.Signature : null;
                        yield return Chunk(context, w =>
                        {
                            w.WriteString("reasoning_content", piece);
                            if (signature is not null)
                            {
                                WriteReasoningDetails(w, [(piece, signature)]);
                            }
                        });
                    }

                    break;

                case ReplyPartKind.RedactedReasoning:
                    yield return Chunk(context, w => WriteReasoningDetails(w, [(null, part.Text)]));
                    break;

                case ReplyPartKind.Text:
                    foreach (var piece in part.Pieces)
                    {
                        yield return Chunk(context, w => w.WriteString("content", piece));
                    }

                    if (part.Citations.Count > 0)
                    {
                        var offset = textOffset;
                        yield return Chunk(context, w =>
                        {
                            w.WriteStartArray("annotations");
                            WriteAnnotations(w, part, offset);
                            w.WriteEndArray();
                        });
                    }

                    textOffset += part.Text.Length;
                    break;

                case ReplyPartKind.Refusal:
                    foreach (var piece in part.Pieces)
                    {
                        yield return Chunk(context, w => w.WriteString("refusal", piece));
                    }

                    break;

                case ReplyPartKind.ToolCall:
                    var index = toolIndex++;
                    yield return Chunk(context, w => WriteToolCallDelta(w, index, part, arguments: string.Empty, first: true));
                    foreach (var piece in part.Pieces)
                    {
                        yield return Chunk(context, w => WriteToolCallDelta(w, index, part, piece, first: false));
                    }

                    break;

                case ReplyPartKind.Padding:
                    yield return SseEvent.Padding(null, PaddingPayloadPrefix, part.PaddingBytes);
                    break;
            }
        }

        if (reply.StreamError is { } error)
        {
            yield return new SseEvent(null, EmulatorJson.Render(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("error");
                w.WriteStartObject();
                w.WriteString("message", error.Message);
                w.WriteString("type", error.Type);
                EmulatorJson.WriteStringOrNull(w, "code", error.Code);
                w.WriteEndObject();
                w.WriteEndObject();
            }));
            yield break;
        }

        if (reply.IsTruncated)
        {
            yield break;
        }

        if (FinishReason(reply.EffectiveFinishReason) is { } finishReason)
        {
            yield return Chunk(context, static _ => { }, finishReason);
        }

        if (reply.Usage is { } usage)
        {
            yield return new SseEvent(null, EmulatorJson.Render(w =>
            {
                w.WriteStartObject();
                WriteHeader(w, context, "chat.completion.chunk");
                w.WriteStartArray("choices");
                w.WriteEndArray();
                WriteUsage(w, usage);
                w.WriteEndObject();
            }));
        }

        yield return new SseEvent(null, DoneMarker);
    }

    /// <inheritdoc />
    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context) => EmulatorJson.Render(w =>
        WriteChoiceObject(w, context, "chat.completion", "message", m => WriteMessage(m, reply), FinishReason(reply.EffectiveFinishReason), reply.Usage));

    /// <inheritdoc />
    /// <remarks><c>{"error":{"message","type","code","param"}}</c>, a missing code or param <c>null</c>; the request id is
    /// not used.</remarks>
    public byte[] RenderError(ReplyError error, IdCounter ids) => EmulatorJson.RenderNestedError(error);

    /// <summary>Maps a finish reason to its <c>finish_reason</c> word; a value of no known kind is sent verbatim.</summary>
    internal static string? FinishReason(ChatFinishReason? reason) => reason switch
    {
        null => null,
        { } r when r == ChatFinishReason.Stop => "stop",
        { } r when r == ChatFinishReason.Length => "length",
        { } r when r == ChatFinishReason.ToolCalls => "tool_calls",
        { } r when r == ChatFinishReason.ContentFilter => "content_filter",
        { } r => r.Value,
    };

    /// <summary>Writes the fields of the complete message into an open object.</summary>
    private static void WriteMessage(Utf8JsonWriter w, EmulatorReply reply)
    {
        w.WriteString("role", "assistant");
        EmulatorJson.WriteStringOrNull(w, "content", Concat(reply, ReplyPartKind.Text));
        if (Concat(reply, ReplyPartKind.Refusal) is { } refusal)
        {
            w.WriteString("refusal", refusal);
        }

        if (Concat(reply, ReplyPartKind.Reasoning) is { } reasoning)
        {
            w.WriteString("reasoning_content", reasoning);
        }

        if (reply.Parts.Any(p => p.Citations.Count > 0))
        {
            w.WriteStartArray("annotations");
            var offset = 0;
            foreach (var part in reply.Parts.Where(p => p.Kind == ReplyPartKind.Text))
            {
                WriteAnnotations(w, part, offset);
                offset += part.Text.Length;
            }

            w.WriteEndArray();
        }

        if (reply.Parts.Any(p => p.Kind == ReplyPartKind.RedactedReasoning || p.Signature is not null))
        {
            WriteReasoningDetails(w, reply.Parts
                .Where(p => p.Kind is ReplyPartKind.Reasoning or ReplyPartKind.RedactedReasoning)
                .Select(p => p.Kind == ReplyPartKind.Reasoning ? ((string?)p.Text, p.Signature) : (null, p.Text))
                .ToList());
        }

        if (reply.Parts.Any(p => p.Kind == ReplyPartKind.ToolCall))
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in reply.Parts.Where(p => p.Kind == ReplyPartKind.ToolCall))
            {
                w.WriteStartObject();
                if (call.CallId is { } callId)
                {
                    w.WriteString("id", callId);
                }

                w.WriteString("type", "function");
                w.WritePropertyName("function");
                w.WriteStartObject();
                w.WriteString("name", call.Name);
                w.WriteString("arguments", call.Text);
                w.WriteEndObject();
                call.WriteExtraFields(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
    }

    /// <summary>Writes <c>reasoning_details</c>: a <c>reasoning.text</c> entry for each readable text (with its signature
    /// when it has one), a <c>reasoning.encrypted</c> entry for each redacted one.</summary>
    private static void WriteReasoningDetails(Utf8JsonWriter w, IReadOnlyList<(string? Text, string? Protected)> entries)
    {
        w.WriteStartArray("reasoning_details");
        foreach (var (text, protectedData) in entries)
        {
            w.WriteStartObject();
            if (text is null)
            {
                w.WriteString("type", "reasoning.encrypted");
                w.WriteString("data", protectedData);
            }
            else
            {
                w.WriteString("type", "reasoning.text");
                w.WriteString("text", text);
                if (protectedData is not null)
                {
                    w.WriteString("signature", protectedData);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Writes a text part's citations as <c>url_citation</c> annotations, their indexes shifted by
    /// <paramref name="offset"/>, the length of the message's text before the part.</summary>
    private static void WriteAnnotations(Utf8JsonWriter w, ReplyPart part, int offset)
    {
        foreach (var citation in part.Citations)
        {
            w.WriteStartObject();
            w.WriteString("type", "url_citation");
            w.WritePropertyName("url_citation");
            w.WriteStartObject();
            w.WriteString("url", citation.Url);
            w.WriteString("title", citation.Title);
            w.WriteNumber("start_index", offset + citation.Start);
            w.WriteNumber("end_index", offset + citation.End(part.Text.Length));
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    private static void WriteToolCallDelta(Utf8JsonWriter w, int index, ReplyPart call, string arguments, bool first)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        if (first)
        {
            if (call.CallId is { } callId)
            {
                w.WriteString("id", callId);
            }

            w.WriteString("type", "function");
        }

        w.WritePropertyName("function");
        w.WriteStartObject();
        if (first)
        {
            w.WriteString("name", call.Name);
        }

        w.WriteString("arguments", arguments);
        w.WriteEndObject();
        if (first)
        {
            call.WriteExtraFields(w);
        }

        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter w, ReplyUsage usage)
    {
        w.WritePropertyName("usage");
        w.WriteStartObject();
        w.WriteNumber("prompt_tokens", usage.InputTokens);
        w.WriteNumber("completion_tokens", usage.OutputTokens);
        w.WriteNumber("total_tokens", usage.TotalTokens);
        w.WritePropertyName("prompt_tokens_details");
        w.WriteStartObject();
        w.WriteNumber("cached_tokens", usage.CachedInputTokens);
        w.WriteEndObject();
        w.WritePropertyName("completion_tokens_details");
        w.WriteStartObject();
        w.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string? Concat(EmulatorReply reply, ReplyPartKind kind)
    {
        var texts = reply.Parts.Where(p => p.Kind == kind).Select(p => p.Text).ToList();
        return texts.Count == 0 ? null : string.Concat(texts);
    }

    private static void WriteHeader(Utf8JsonWriter w, RenderContext context, string objectType)
    {
        w.WriteString("id", context.ResponseId);
        w.WriteString("object", objectType);
        w.WriteNumber("created", context.Created);
        w.WriteString("model", context.Model);
    }

    private static SseEvent Chunk(RenderContext context, Action<Utf8JsonWriter> writeDelta, string? finishReason = null) => new(null, EmulatorJson.Render(w =>
        WriteChoiceObject(w, context, "chat.completion.chunk", "delta", writeDelta, finishReason, usage: null)));

    /// <summary>
    /// Writes a chunk or a completion: the header, one choice (index 0) with its <paramref name="contentField"/>
    /// (<c>delta</c> or <c>message</c>) object and <c>finish_reason</c>, then the usage when there is any.
    /// </summary>
    private static void WriteChoiceObject(Utf8JsonWriter w, RenderContext context, string objectType, string contentField, Action<Utf8JsonWriter> writeContent, string? finishReason, ReplyUsage? usage)
    {
        w.WriteStartObject();
        WriteHeader(w, context, objectType);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WritePropertyName(contentField);
        w.WriteStartObject();
        writeContent(w);
        w.WriteEndObject();
        EmulatorJson.WriteStringOrNull(w, "finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        if (usage is not null)
        {
            WriteUsage(w, usage);
        }

        w.WriteEndObject();
    }
}
