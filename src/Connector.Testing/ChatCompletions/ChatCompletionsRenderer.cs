using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Renders a scripted <see cref="EmulatorReply"/> in the Chat Completions wire format: a stream of
/// <c>chat.completion.chunk</c> events, or one <c>chat.completion</c> object.
/// </summary>
internal sealed class ChatCompletionsRenderer
{
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();

    private readonly EmulatorReply _reply;
    private readonly string _id;
    private readonly string _model;
    private readonly long _created;

    /// <summary>Initializes a renderer for one response.</summary>
    /// <param name="reply">The scripted reply.</param>
    /// <param name="id">The response id every chunk carries.</param>
    /// <param name="model">The model name every chunk carries.</param>
    /// <param name="created">The creation time in Unix seconds.</param>
    public ChatCompletionsRenderer(EmulatorReply reply, string id, string model, long created)
    {
        _reply = reply;
        _id = id;
        _model = model;
        _created = created;
    }

    private string? FinishReason => _reply.HasFinishReason
        ? _reply.FinishReason
        : _reply.Parts.Any(p => p.Kind == ReplyPartKind.ToolCall) ? "tool_calls" : "stop";

    /// <summary>Renders the events of a streamed response, in order.</summary>
    /// <returns>The events; the last is <c>[DONE]</c> unless the reply is truncated or fails.</returns>
    public IEnumerable<SseEvent> RenderStream()
    {
        // Role chunk: {"role":"assistant","content":""}.
        yield return Chunk(static w =>
        {
            w.WriteString("role", "assistant");
            w.WriteString("content", string.Empty);
        });

        var toolIndex = 0;
        foreach (var part in _reply.Parts)
        {
            switch (part.Kind)
            {
                case ReplyPartKind.Reasoning:
                    foreach (var piece in part.Pieces)
                    {
                        yield return Chunk(w => w.WriteString("reasoning_content", piece));
                    }

                    break;

                case ReplyPartKind.Text:
                    foreach (var piece in part.Pieces)
                    {
                        yield return Chunk(w => w.WriteString("content", piece));
                    }

                    break;

                case ReplyPartKind.ToolCall:
                    var index = toolIndex++;
                    yield return Chunk(w => WriteToolCallDelta(w, index, part, arguments: string.Empty, first: true));
                    foreach (var piece in part.Pieces)
                    {
                        yield return Chunk(w => WriteToolCallDelta(w, index, part, piece, first: false));
                    }

                    break;

                case ReplyPartKind.Padding:
                    yield return SseEvent.Padding(part.PaddingBytes);
                    break;
            }
        }

        if (_reply.StreamError is { } error)
        {
            yield return new SseEvent(null, EmulatorJson.Render(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("error");
                w.WriteStartObject();
                w.WriteString("message", error.Message);
                w.WriteString("type", error.Type);
                WriteStringOrNull(w, "code", error.Code);
                w.WriteEndObject();
                w.WriteEndObject();
            }));
            yield break;
        }

        if (_reply.IsTruncated)
        {
            yield break;
        }

        if (FinishReason is { } finishReason)
        {
            yield return Chunk(static _ => { }, finishReason);
        }

        if (_reply.Usage is { } usage)
        {
            yield return new SseEvent(null, EmulatorJson.Render(w =>
            {
                w.WriteStartObject();
                WriteHeader(w, "chat.completion.chunk");
                w.WriteStartArray("choices");
                w.WriteEndArray();
                WriteUsage(w, usage);
                w.WriteEndObject();
            }));
        }

        yield return new SseEvent(null, DoneMarker);
    }

    /// <summary>Renders the whole response of a non-streaming request.</summary>
    /// <returns>The UTF-8 JSON body.</returns>
    public byte[] RenderCompletion() => EmulatorJson.Render(w =>
    {
        w.WriteStartObject();
        WriteHeader(w, "chat.completion");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WritePropertyName("message");
        w.WriteStartObject();
        w.WriteString("role", "assistant");
        WriteStringOrNull(w, "content", Concat(ReplyPartKind.Text));
        if (Concat(ReplyPartKind.Reasoning) is { } reasoning)
        {
            w.WriteString("reasoning_content", reasoning);
        }

        if (_reply.Parts.Any(p => p.Kind == ReplyPartKind.ToolCall))
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in _reply.Parts.Where(p => p.Kind == ReplyPartKind.ToolCall))
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
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        WriteStringOrNull(w, "finish_reason", FinishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        if (_reply.Usage is { } usage)
        {
            WriteUsage(w, usage);
        }

        w.WriteEndObject();
    });

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

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private string? Concat(ReplyPartKind kind)
    {
        var texts = _reply.Parts.Where(p => p.Kind == kind).Select(p => p.Text).ToList();
        return texts.Count == 0 ? null : string.Concat(texts);
    }

    private void WriteHeader(Utf8JsonWriter w, string objectType)
    {
        w.WriteString("id", _id);
        w.WriteString("object", objectType);
        w.WriteNumber("created", _created);
        w.WriteString("model", _model);
    }

    private SseEvent Chunk(Action<Utf8JsonWriter> writeDelta, string? finishReason = null) => new(null, EmulatorJson.Render(w =>
    {
        w.WriteStartObject();
        WriteHeader(w, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WritePropertyName("delta");
        w.WriteStartObject();
        writeDelta(w);
        w.WriteEndObject();
        WriteStringOrNull(w, "finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }));
}
