using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Renders a scripted <see cref="EmulatorReply"/> in the Anthropic Messages wire format (<c>POST /v1/messages</c>):
/// a stream of typed events (<c>event: &lt;type&gt;</c> with a <c>data:</c> object of the same <c>type</c>), or one
/// <c>message</c> object.
/// </summary>
/// <remarks>
/// <para>A stream is <c>message_start</c>, one <c>ping</c>, then each content part as a block with an increasing
/// <c>index</c> (<c>content_block_start</c>, its <c>content_block_delta</c>s, <c>content_block_stop</c>), then
/// <c>message_delta</c> (stop reason and output tokens) and <c>message_stop</c>. Reasoning is a <c>thinking</c> block
/// whose <c>signature_delta</c> comes last, redacted reasoning a <c>redacted_thinking</c> block, a tool call a
/// <c>tool_use</c> block whose first <c>input_json_delta</c> is empty; padding is an extra <c>ping</c> with a long
/// unknown field, outside any block. Refusal parts are left out (Messages says refusal only by its <c>refusal</c> stop
/// reason), and raw reasoning and a text part's phase are rendered like any reasoning and text.</para>
/// <para>Hosted tools: a web search, web fetch or code execution is a <c>server_tool_use</c> block (<c>srvtoolu_emu_N</c>)
/// followed by its <c>web_search_tool_result</c>, <c>web_fetch_tool_result</c>, <c>code_execution_tool_result</c> or
/// <c>bash_code_execution_tool_result</c> block; an
/// MCP call an <c>mcp_tool_use</c> block (<c>mcptoolu_emu_N</c>) and its <c>mcp_tool_result</c>. A tool use block starts
/// with <c>input: {}</c> and streams its input in <c>input_json_delta</c>s (an empty one first); result blocks arrive
/// whole at <c>content_block_start</c>. Citations of a text block are <c>web_search_result_location</c>s, streamed as
/// <c>citations_delta</c>s before its text. A raw part is a block of its own, sent as scripted. MCP approval requests,
/// image generations and file searches have no shape in Messages and are left out.</para>
/// <para>Usage: cached input is counted apart, so <c>input_tokens</c> is the scripted input minus the cached and
/// cache-creation tokens, and <c>input_tokens + cache_read_input_tokens + cache_creation_input_tokens</c> gives the
/// scripted input back.</para>
/// </remarks>
internal sealed partial class MessagesRenderer : IProtocolRenderer
{
    private const string ToolUseIdPrefix = "toolu_emu_";
    private const string RequestIdPrefix = "req_emu_";
    private const string ServerToolUseIdPrefix = "srvtoolu_emu_";
    private const string McpToolUseIdPrefix = "mcptoolu_emu_";

    private static readonly byte[] PaddingPayloadPrefix = "{\"type\":\"ping\",\"padding\":\""u8.ToArray();

    private MessagesRenderer()
    {
    }

    /// <summary>Gets the one instance.</summary>
    public static MessagesRenderer Instance { get; } = new();

    /// <inheritdoc />
    public string Route => "messages";

    /// <inheritdoc />
    public string ResponseIdPrefix => "msg_emu_";

    /// <inheritdoc />
    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context)
    {
        yield return Event("message_start", w =>
        {
            w.WritePropertyName("message");
            w.WriteStartObject();
            WriteMessageHeader(w, context);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            if (reply.Usage is { } usage)
            {
                WriteUsage(w, usage, outputTokens: 1);
            }

            w.WriteEndObject();
        });
        yield return Event("ping", static _ => { });

        var index = 0;
        foreach (var part in reply.Parts)
        {
            if (part.Kind == ReplyPartKind.Padding)
            {
                yield return SseEvent.Padding("ping", PaddingPayloadPrefix, part.PaddingBytes);
                continue;
            }

            if (part.Kind == ReplyPartKind.Refusal)
            {
                // Messages has no refusal content: a refusal is only its stop reason.
                continue;
            }

            if (HostedBlocks(part, context) is { } blocks)
            {
                foreach (var block in blocks)
                {
                    var hostedIndex = index++;
                    yield return BlockStart(hostedIndex, w => block.WriteFields(w, true));
                    if (block.StreamedInput is { } input)
                    {
                        yield return BlockDelta(hostedIndex, "input_json_delta", "partial_json", string.Empty);
                        yield return BlockDelta(hostedIndex, "input_json_delta", "partial_json", input);
                    }

                    yield return Event("content_block_stop", w => w.WriteNumber("index", hostedIndex));
                }

                continue;
            }

            var blockIndex = index++;
            switch (part.Kind)
            {
                case ReplyPartKind.Reasoning:
                    yield return BlockStart(blockIndex, w =>
                    {
                        w.WriteString("type", "thinking");
                        w.WriteString("thinking", string.Empty);
                        w.WriteString("signature", string.Empty);
                        part.WriteExtraFields(w);
                    });
                    if (part.Text.Length > 0)
                    {
                        foreach (var piece in part.Pieces)
                        {
                            yield return BlockDelta(blockIndex, "thinking_delta", "thinking", piece);
                        }
                    }

                    if (part.Signature is { } signature)
                    {
                        yield return BlockDelta(blockIndex, "signature_delta", "signature", signature);
                    }

                    break;

                case ReplyPartKind.RedactedReasoning:
                    yield return BlockStart(blockIndex, w =>
                    {
                        w.WriteString("type", "redacted_thinking");
                        w.WriteString("data", part.Text);
                    });
                    break;

                case ReplyPartKind.Text:
                    yield return BlockStart(blockIndex, w =>
                    {
                        w.WriteString("type", "text");
                        w.WriteString("text", string.Empty);
                        part.WriteExtraFields(w);
                    });
                    for (var c = 0; c < part.Citations.Count; c++)
                    {
                        var position = c;
                        yield return Event("content_block_delta", w =>
                        {
                            w.WriteNumber("index", blockIndex);
                            w.WritePropertyName("delta");
                            w.WriteStartObject();
                            w.WriteString("type", "citations_delta");
                            w.WritePropertyName("citation");
                            WriteCitation(w, part.Citations[position], position);
                            w.WriteEndObject();
                        });
                    }

                    foreach (var piece in part.Pieces)
                    {
                        yield return BlockDelta(blockIndex, "text_delta", "text", piece);
                    }

                    break;

                case ReplyPartKind.ToolCall:
                    var id = ToolUseId(part, context);
                    yield return BlockStart(blockIndex, w =>
                    {
                        w.WriteString("type", "tool_use");
                        w.WriteString("id", id);
                        w.WriteString("name", part.Name);
                        w.WritePropertyName("input");
                        w.WriteStartObject();
                        w.WriteEndObject();
                        part.WriteExtraFields(w);
                    });
                    yield return BlockDelta(blockIndex, "input_json_delta", "partial_json", string.Empty);
                    foreach (var piece in part.Pieces)
                    {
                        yield return BlockDelta(blockIndex, "input_json_delta", "partial_json", piece);
                    }

                    break;
            }

            yield return Event("content_block_stop", w => w.WriteNumber("index", blockIndex));
        }

        if (reply.StreamError is { } error)
        {
            yield return Event("error", w => WriteError(w, error));
            yield break;
        }

        if (reply.IsTruncated)
        {
            yield break;
        }

        yield return Event("message_delta", w =>
        {
            w.WritePropertyName("delta");
            w.WriteStartObject();
            EmulatorJson.WriteStringOrNull(w, "stop_reason", StopReason(reply.EffectiveFinishReason));
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            if (reply.Usage is { } usage)
            {
                w.WritePropertyName("usage");
                w.WriteStartObject();
                w.WriteNumber("output_tokens", usage.OutputTokens);
                w.WriteEndObject();
            }
        });
        yield return Event("message_stop", static _ => { });
    }

    /// <inheritdoc />
    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context) => EmulatorJson.Render(w =>
    {
        w.WriteStartObject();
        WriteMessageHeader(w, context);
        w.WriteStartArray("content");
        foreach (var part in reply.Parts)
        {
            foreach (var block in HostedBlocks(part, context) ?? [])
            {
                w.WriteStartObject();
                block.WriteFields(w, false);
                w.WriteEndObject();
            }

            switch (part.Kind)
            {
                case ReplyPartKind.Reasoning:
                    w.WriteStartObject();
                    w.WriteString("type", "thinking");
                    w.WriteString("thinking", part.Text);
                    w.WriteString("signature", part.Signature ?? string.Empty);
                    part.WriteExtraFields(w);
                    w.WriteEndObject();
                    break;

                case ReplyPartKind.RedactedReasoning:
                    w.WriteStartObject();
                    w.WriteString("type", "redacted_thinking");
                    w.WriteString("data", part.Text);
                    w.WriteEndObject();
                    break;

                case ReplyPartKind.Text:
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", part.Text);
                    if (part.Citations.Count > 0)
                    {
                        w.WriteStartArray("citations");
                        for (var c = 0; c < part.Citations.Count; c++)
                        {
                            WriteCitation(w, part.Citations[c], c);
                        }

                        w.WriteEndArray();
                    }

                    part.WriteExtraFields(w);
                    w.WriteEndObject();
                    break;

                case ReplyPartKind.ToolCall:
                    w.WriteStartObject();
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", ToolUseId(part, context));
                    w.WriteString("name", part.Name);
                    WriteInput(w, part.Text);
                    part.WriteExtraFields(w);
                    w.WriteEndObject();
                    break;
            }
        }

        w.WriteEndArray();
        EmulatorJson.WriteStringOrNull(w, "stop_reason", StopReason(reply.EffectiveFinishReason));
        w.WriteNull("stop_sequence");
        if (reply.Usage is { } usage)
        {
            WriteUsage(w, usage, usage.OutputTokens);
        }

        w.WriteEndObject();
    });

    /// <inheritdoc />
    /// <remarks><c>{"type":"error","error":{"type","message"},"request_id":"req_emu_N"}</c>; the code is not sent.</remarks>
    public byte[] RenderError(ReplyError error, IdCounter ids) => EmulatorJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        WriteError(w, error);
        w.WriteString("request_id", ids.Next(RequestIdPrefix));
        w.WriteEndObject();
    });

    /// <summary>Maps a finish reason to its <c>stop_reason</c> word; a value of no known kind is sent verbatim.</summary>
    internal static string? StopReason(ChatFinishReason? reason) => reason switch
    {
        null => null,
        { } r when r == ChatFinishReason.Stop => "end_turn",
        { } r when r == ChatFinishReason.Length => "max_tokens",
        { } r when r == ChatFinishReason.ToolCalls => "tool_use",
        { } r when r == ChatFinishReason.ContentFilter => "refusal",
        { } r => r.Value,
    };

    private static string ToolUseId(ReplyPart call, RenderContext context) => call.CallId ?? context.Ids.Next(ToolUseIdPrefix);

    /// <summary>Writes a <c>web_search_result_location</c> citation; its <c>encrypted_index</c> is made up from its position.</summary>
    private static void WriteCitation(Utf8JsonWriter w, ReplyCitation citation, int position)
    {
        w.WriteStartObject();
        w.WriteString("type", "web_search_result_location");
        w.WriteString("cited_text", citation.CitedText);
        w.WriteString("url", citation.Url);
        w.WriteString("title", citation.Title);
        w.WriteString("encrypted_index", "emu_index_" + (position + 1).ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <summary>Writes <c>"error":{"type","message"}</c> into an open object.</summary>
    private static void WriteError(Utf8JsonWriter w, ReplyError error)
    {
        w.WritePropertyName("error");
        w.WriteStartObject();
        w.WriteString("type", error.Type);
        w.WriteString("message", error.Message);
        w.WriteEndObject();
    }

    /// <summary>Writes a tool call's <c>input</c>: the arguments as they are when they are JSON, <c>{}</c> when they are
    /// empty, and a string when they are not JSON, so a client has something to fail on.</summary>
    private static void WriteInput(Utf8JsonWriter w, string arguments)
    {
        w.WritePropertyName("input");
        if (string.IsNullOrWhiteSpace(arguments))
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
        else if (IsJson(arguments))
        {
            w.WriteRawValue(arguments);
        }
        else
        {
            w.WriteStringValue(arguments);
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // Not JSON, or not even valid UTF-16.
            return false;
        }
    }

    private static void WriteMessageHeader(Utf8JsonWriter w, RenderContext context)
    {
        w.WriteString("id", context.ResponseId);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", context.Model);
    }

    private static void WriteUsage(Utf8JsonWriter w, ReplyUsage usage, int outputTokens)
    {
        w.WritePropertyName("usage");
        w.WriteStartObject();
        w.WriteNumber("input_tokens", Math.Max(0, usage.InputTokens - usage.CachedInputTokens - usage.CacheCreationInputTokens));
        w.WriteNumber("cache_creation_input_tokens", usage.CacheCreationInputTokens);
        w.WriteNumber("cache_read_input_tokens", usage.CachedInputTokens);
        w.WriteNumber("output_tokens", outputTokens);
        w.WriteEndObject();
    }

    private static SseEvent BlockStart(int index, Action<Utf8JsonWriter> writeBlock) => Event("content_block_start", w =>
    {
        w.WriteNumber("index", index);
        w.WritePropertyName("content_block");
        w.WriteStartObject();
        writeBlock(w);
        w.WriteEndObject();
    });

    private static SseEvent BlockDelta(int index, string deltaType, string field, string value) => Event("content_block_delta", w =>
    {
        w.WriteNumber("index", index);
        w.WritePropertyName("delta");
        w.WriteStartObject();
        w.WriteString("type", deltaType);
        w.WriteString(field, value);
        w.WriteEndObject();
    });

    /// <summary>Creates an event of <paramref name="type"/> whose data is <c>{"type":type, …}</c>.</summary>
    private static SseEvent Event(string type, Action<Utf8JsonWriter> writeFields) => new(type, EmulatorJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        writeFields(w);
        w.WriteEndObject();
    }));
}
