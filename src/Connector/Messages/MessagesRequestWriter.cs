using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Http;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>Writes an Anthropic Messages request body from messages and <see cref="ChatOptions"/>.</summary>
/// <remarks>
/// <para>What is mapped:</para>
/// <list type="table">
/// <listheader><term>Source</term><description>Request field</description></listheader>
/// <item><term><see cref="ChatRequest.Model"/></term><description><c>model</c></description></item>
/// <item><term><see cref="ChatOptions.MaxOutputTokens"/>, else <see cref="ChatRequest.DefaultMaxOutputTokens"/></term><description><c>max_tokens</c> (always written: the protocol requires it)</description></item>
/// <item><term><see cref="ChatOptions.Instructions"/>, then the text of every <c>system</c> and <c>developer</c> message, wherever it stands in the history</term><description><c>system</c>, one <c>text</c> block each, in that order</description></item>
/// <item><term>user, tool and assistant messages</term><description><c>messages</c>, content always as blocks; messages of any role other than assistant count as user; adjacent turns of one role are merged (the protocol wants them alternating)</description></item>
/// <item><term><see cref="TextContent"/></term><description><c>text</c> (empty text is left out), with the fields kept under <see cref="MessagesKeys.Fields"/></description></item>
/// <item><term><see cref="DataContent"/> / <see cref="UriContent"/> <c>image/*</c></term><description><c>image</c> with a <c>base64</c> / <c>url</c> source (user turns only)</description></item>
/// <item><term><see cref="DataContent"/> / <see cref="UriContent"/> <c>application/pdf</c></term><description><c>document</c> with a <c>base64</c> / <c>url</c> source</description></item>
/// <item><term><see cref="DataContent"/> <c>text/plain</c></term><description><c>document</c> with a <c>text</c> source</description></item>
/// <item><term><see cref="FunctionCallContent"/></term><description><c>tool_use</c> in an assistant turn, with the fields kept under <see cref="MessagesKeys.Fields"/> (<c>caller</c>)</description></item>
/// <item><term><see cref="FunctionResultContent"/></term><description><c>tool_result</c> in a user turn, before the turn's other blocks; <c>is_error</c> when <see cref="FunctionResultContent.Exception"/> is set</description></item>
/// <item><term><see cref="TextReasoningContent"/> with <see cref="TextReasoningContent.ProtectedData"/>, in an assistant message</term><description><c>thinking</c> with the signature, or <c>redacted_thinking</c> when marked <see cref="ReasoningMarkers.Redacted"/>, with the fields kept under <see cref="MessagesKeys.Fields"/> (on the block's first piece); unsigned reasoning is left out</description></item>
/// <item><term>a content kept from a Messages response (<see cref="WireItems"/>: server tool use and results, MCP blocks, cited text, unknown blocks)</term><description>its block (<see cref="WireItems.JsonKey"/>), verbatim, where it stands in the message's turn; one that lost its block in a store is an <see cref="ArgumentException"/></description></item>
/// <item><term>a content kept from another protocol, or a hosted tool's call, result or approval with no Messages block</term><description>left out, with a Debug log line (a history survives a change of protocol)</description></item>
/// <item><term><see cref="ChatOptions.Tools"/>: functions, <see cref="HostedWebSearchTool"/>, <see cref="HostedCodeInterpreterTool"/></term><description><c>tools</c> (see <see cref="MessagesToolWriter"/>; code execution and web fetch add their <c>anthropic-beta</c> feature)</description></item>
/// <item><term><see cref="ChatOptions.Tools"/>: <see cref="HostedMcpServerTool"/></term><description><c>mcp_servers</c>, with the <c>anthropic-beta</c> feature <c>mcp-client-2025-04-04</c>; a <c>tools</c> supplied by the additional properties or the base body replaces <see cref="ChatOptions.Tools"/> as a whole, servers included</description></item>
/// <item><term><see cref="ChatOptions.ToolMode"/>, <see cref="ChatOptions.AllowMultipleToolCalls"/></term><description><c>tool_choice</c>, with <c>disable_parallel_tool_use</c> (only when tools are sent)</description></item>
/// <item><term><see cref="ChatOptions.StopSequences"/>, <see cref="ChatOptions.Temperature"/>, <see cref="ChatOptions.TopP"/>, <see cref="ChatOptions.TopK"/></term><description><c>stop_sequences</c>, <c>temperature</c>, <c>top_p</c>, <c>top_k</c></description></item>
/// <item><term><see cref="ChatOptions.Reasoning"/></term><description><c>thinking</c> and <c>output_config.effort</c> (see below)</description></item>
/// <item><term><see cref="ChatOptions.ResponseFormat"/> with a schema</term><description><c>output_config.format</c> (<c>json_schema</c>), every object of the schema closed with <c>"additionalProperties": false</c> as the API requires (see <see cref="StrictSchema"/>); a strict function tool (its own <c>strict</c> property, else <c>AdditionalProperties["strictJsonSchema"]</c>) gets the same, with <c>"strict": true</c></description></item>
/// </list>
/// <para>
/// Reasoning, as the official SDK's <see cref="IChatClient"/> maps it for current models (adaptive thinking, the only mode
/// of Opus 4.7 and later): an effort becomes <c>thinking {"type":"adaptive","display"}</c> with
/// <c>output_config {"effort": "low"|"medium"|"high"|"xhigh"}</c> (<see cref="ReasoningEffort.ExtraHigh"/> is
/// <c>xhigh</c>), and <c>display</c> is <c>omitted</c> for <see cref="ReasoningOutput.None"/>, else <c>summarized</c>.
/// An output without an effort asks for adaptive thinking at the server's default effort, except
/// <see cref="ReasoningOutput.None"/> alone, which asks for nothing. <see cref="ReasoningEffort.None"/> becomes
/// <c>{"type":"disabled"}</c>. The effort and a structured-output format share one <c>output_config</c>.
/// </para>
/// <para>
/// With <see cref="ChatRequest.UseThinkingBudget"/> (older models), an effort becomes
/// <c>{"type":"enabled","budget_tokens":N}</c> instead, with N = 1024 (low), 4096 (medium), 16384 (high) or 32768
/// (extra high), and <c>"display":"omitted"</c> for <see cref="ReasoningOutput.None"/>; an output without an effort then
/// asks for nothing, as a budget needs an effort, and <see cref="UnsentOptions"/> logs that once (an output of
/// <see cref="ReasoningOutput.None"/> alone asks for nothing anyway). The budget must lie below
/// <c>max_tokens</c>: when it does not and <see cref="ChatOptions.MaxOutputTokens"/> is unset, <c>max_tokens</c> is raised
/// to the budget plus <see cref="ChatRequest.DefaultMaxOutputTokens"/>; when the caller set
/// <see cref="ChatOptions.MaxOutputTokens"/>, the budget shrinks to one below it, and a limit under 1025 leaves no room for
/// the protocol's minimum budget of 1024, which is an error. A <c>max_tokens</c> supplied by the additional properties or
/// the base body turns this adjustment off.
/// </para>
/// <para>
/// A <c>thinking</c> supplied by the additional properties or the base body wins: reasoning is then not mapped at all
/// (neither <c>thinking</c> nor an effort); a supplied <c>output_config</c> replaces the mapped one as a whole.
/// </para>
/// <para>
/// Not mapped, as the protocol has no such fields, each logged once per client (<see cref="UnsentOptions"/>): seed,
/// penalties, a conversation id. A JSON format without a schema is an error. <c>metadata.user_id</c> and anything else
/// go through <see cref="ChatOptions.AdditionalProperties"/>, which, like the base body from
/// <see cref="ChatOptions.RawRepresentationFactory"/>, follows <see cref="RequestFields"/>' precedence.
/// </para>
/// </remarks>
internal static class MessagesRequestWriter
{
    /// <summary>The smallest thinking budget the protocol accepts, and the budget of <see cref="ReasoningEffort.Low"/>.</summary>
    public const int MinimumThinkingBudget = 1024;

    private static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("max_tokens");
    private static readonly JsonEncodedText SystemPrompt = JsonEncodedText.Encode("system");
    private static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText Temperature = JsonEncodedText.Encode("temperature");
    private static readonly JsonEncodedText TopP = JsonEncodedText.Encode("top_p");
    private static readonly JsonEncodedText TopK = JsonEncodedText.Encode("top_k");
    private static readonly JsonEncodedText StopSequences = JsonEncodedText.Encode("stop_sequences");
    private static readonly JsonEncodedText Tools = JsonEncodedText.Encode("tools");
    private static readonly JsonEncodedText ToolChoice = JsonEncodedText.Encode("tool_choice");
    private static readonly JsonEncodedText Thinking = JsonEncodedText.Encode("thinking");
    private static readonly JsonEncodedText OutputConfig = JsonEncodedText.Encode("output_config");
    private static readonly JsonEncodedText McpServers = JsonEncodedText.Encode("mcp_servers");

    private static readonly ChatRole Developer = new("developer");

    /// <summary>Writes the body.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol, or no model is set anywhere.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        var fields = new RequestFields(options, request.RawRepresentation);
        var model = request.Model;
        if (model is null && !fields.Supplies(Model.Value))
        {
            throw new ArgumentException("No model was given: set ChatOptions.ModelId or YuHuanChatClientOptions.ModelId.", nameof(request));
        }

        // Everything that can fail is checked before a byte is written.
        var blocks = new List<MessagesBlock>();
        var system = CollectHistory(request.Messages, options?.Instructions, blocks, request.Logger);
        var maxTokens = options?.MaxOutputTokens ?? request.DefaultMaxOutputTokens;
        var thinking = PlanThinking(request, fields, ref maxTokens);
        if (options?.Tools is { Count: > 0 } tools && fields.Maps(Tools))
        {
            List<string>? betas = null;
            foreach (var tool in tools)
            {
                MessagesToolWriter.Check(tool, betas ??= []);
            }

            if (betas is { Count: > 0 })
            {
                request.Headers ??= [];
                foreach (var beta in betas)
                {
                    request.Headers.Add(new(MessagesProtocol.BetaHeader, beta));
                }
            }
        }

        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: null } && fields.Maps(OutputConfig))
        {
            throw new ArgumentException(
                "The Messages protocol has no JSON mode without a schema: give ChatResponseFormat.ForJsonSchema a schema, or use the Chat Completions protocol, whose json_object mode needs none.",
                nameof(request));
        }

        if (options is not null)
        {
            var unsent = request.UnsentOptions;
            unsent.NoteIf(options.Seed is not null, nameof(ChatOptions.Seed), MessagesServerBlocks.Protocol);
            unsent.NoteIf(options.FrequencyPenalty is not null, nameof(ChatOptions.FrequencyPenalty), MessagesServerBlocks.Protocol);
            unsent.NoteIf(options.PresencePenalty is not null, nameof(ChatOptions.PresencePenalty), MessagesServerBlocks.Protocol);
            unsent.NoteIf(options.ConversationId is { Length: > 0 }, nameof(ChatOptions.ConversationId), MessagesServerBlocks.Protocol);
        }

        using var scratch = JsonScratch.Rent();
        var writer = scratch.Writer;
        writer.WriteStartObject();
        if (model is not null && fields.Maps(Model))
        {
            writer.WriteString(Model, model);
        }

        if (fields.Maps(MaxTokens))
        {
            writer.WriteNumber(MaxTokens, maxTokens);
        }

        if (system is { Count: > 0 } && fields.Maps(SystemPrompt))
        {
            writer.WritePropertyName(SystemPrompt);
            writer.WriteStartArray();
            foreach (var text in system)
            {
                WriteTextBlock(writer, text);
            }

            writer.WriteEndArray();
        }

        if (fields.Maps(Messages))
        {
            writer.WritePropertyName(Messages);
            WriteTurns(writer, blocks);
        }

        if (fields.Maps(Stream))
        {
            writer.WriteBoolean(Stream, request.Stream);
        }

        if (options is not null)
        {
            WriteOptions(writer, options, fields, thinking);
        }

        fields.WriteExtras(writer);
        writer.WriteEndObject();
        return scratch.ToArray();
    }

    /// <summary>Gets the thinking budget of a reasoning effort other than <see cref="ReasoningEffort.None"/>.</summary>
    /// <exception cref="ArgumentException">The effort is not one the library knows.</exception>
    public static int ThinkingBudget(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.Low => MinimumThinkingBudget,
        ReasoningEffort.Medium => 4096,
        ReasoningEffort.High => 16384,
        ReasoningEffort.ExtraHigh => 32768,
        _ => throw new ArgumentException($"Unknown reasoning effort '{effort}'.", nameof(effort)),
    };

    /// <summary>
    /// Decides the mapped <c>thinking</c> and effort (see the remarks); raises <paramref name="maxTokens"/> when a budget
    /// needs it and the caller left the limit to the client.
    /// </summary>
    /// <exception cref="ArgumentException">The effort or output is not one the library knows, or the caller's limit leaves no room for a budget.</exception>
    private static ThinkingPlan PlanThinking(ChatRequest request, RequestFields fields, ref int maxTokens)
    {
        var options = request.Options;
        if (options?.Reasoning is not { } reasoning || !fields.Maps(Thinking))
        {
            return default;
        }

        if (reasoning.Effort == ReasoningEffort.None)
        {
            return new ThinkingPlan("disabled");
        }

        var omitted = reasoning.Output switch
        {
            ReasoningOutput.None => true,
            null or ReasoningOutput.Summary or ReasoningOutput.Full => false,
            _ => throw new ArgumentException($"Unknown reasoning output '{reasoning.Output}'.", nameof(request)),
        };
        if (request.UseThinkingBudget)
        {
            // A budget comes from an effort: an output shown without one asks for nothing, which is said once.
            request.UnsentOptions.NoteIf(
                reasoning.Effort is null && !omitted,
                "Reasoning.Output",
                MessagesServerBlocks.Protocol,
                "Reasoning.Effort for budgeted thinking (YuHuanChatClientOptions.UseThinkingBudget)");
            return reasoning.Effort is { } level
                ? new ThinkingPlan("enabled", Budget: PlanBudget(request, fields, level, ref maxTokens), Display: omitted ? "omitted" : null)
                : default;
        }

        if (reasoning.Effort is not { } effort)
        {
            // An output alone asks for thinking shown or not; "not shown" alone asks for nothing.
            return omitted ? default : new ThinkingPlan("adaptive", Display: "summarized");
        }

        return new ThinkingPlan("adaptive", Display: omitted ? "omitted" : "summarized", Effort: ReasoningEffortNames.Of(effort));
    }

    /// <summary>Gets the budget of <paramref name="effort"/>, below <paramref name="maxTokens"/> (raising it when the caller left it to the client).</summary>
    private static int PlanBudget(ChatRequest request, RequestFields fields, ReasoningEffort effort, ref int maxTokens)
    {
        var budget = ThinkingBudget(effort);
        if (budget < maxTokens || !fields.Maps(MaxTokens))
        {
            return budget;
        }

        if (request.Options?.MaxOutputTokens is not { } limit)
        {
            maxTokens = (int)Math.Min((long)budget + request.DefaultMaxOutputTokens, int.MaxValue);
            return budget;
        }

        if (limit - 1 < MinimumThinkingBudget)
        {
            throw new ArgumentException(
                $"ChatOptions.MaxOutputTokens is {limit}, which leaves no room for thinking: the Messages protocol needs a thinking budget of at least {MinimumThinkingBudget} tokens below max_tokens. Set MaxOutputTokens to {MinimumThinkingBudget + 1} or more, or leave it unset, or set Reasoning.Effort to None.",
                nameof(request));
        }

        return limit - 1;
    }

    /// <summary>Sorts the history into <paramref name="blocks"/> and returns the system texts, checking every content.</summary>
    private static List<string>? CollectHistory(IEnumerable<ChatMessage> messages, string? instructions, List<MessagesBlock> blocks, ILogger logger)
    {
        List<string>? system = null;
        if (!string.IsNullOrEmpty(instructions))
        {
            system = [instructions];
        }

        var index = 0;
        foreach (var message in messages)
        {
            MessageChecks.ThrowIfIncomplete(message, index);

            var contents = message.Contents;
            if (message.Role == ChatRole.System || message.Role == Developer)
            {
                foreach (var content in contents)
                {
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } text:
                            (system ??= []).Add(text.Text);
                            break;
                        case TextContent or TextReasoningContent or UsageContent or ErrorContent:
                            break;
                        default:
                            throw Unsupported(index, message, content);
                    }
                }

                index++;
                continue;
            }

            var assistant = message.Role == ChatRole.Assistant;
            var runStart = -1;
            for (var i = 0; i < contents.Count; i++)
            {
                var content = contents[i];
                if (content is TextReasoningContent reasoning)
                {
                    if (WireItems.From(reasoning) is { } source && source != MessagesServerBlocks.Protocol)
                    {
                        // Another protocol's reasoning: its encrypted content is no signature this API issued.
                        GatewayLog.ContentLeftOut(logger, nameof(TextReasoningContent), index, source, MessagesServerBlocks.Protocol);
                        runStart = -1;
                        continue;
                    }

                    // Pieces streamed apart are joined until one carrying the signature ends the run, as updates merge.
                    // Reasoning without a signature (another provider's, or in a user message) cannot go back: the API
                    // rejects a thinking block whose signature it did not issue.
                    if (assistant)
                    {
                        runStart = runStart < 0 ? i : runStart;
                        if (reasoning.ProtectedData is { Length: > 0 })
                        {
                            blocks.Add(new MessagesBlock(contents, runStart, i, Assistant: true));
                            runStart = -1;
                        }
                    }

                    continue;
                }

                runStart = -1;
                if (WireItems.TryGetOwn(content, MessagesServerBlocks.Protocol, out _))
                {
                    // A block a Messages response held goes back as it came, in its place.
                    blocks.Add(new MessagesBlock(contents, i, i, assistant));
                    continue;
                }

                if (WireItems.From(content) == MessagesServerBlocks.Protocol)
                {
                    // Every content kept from this protocol carries its block: one without it lost it in a store.
                    throw WireItems.Lost(content, index);
                }

                switch (content)
                {
                    case TextContent text:
                        // The API rejects empty text blocks.
                        if (!string.IsNullOrEmpty(text.Text))
                        {
                            blocks.Add(new MessagesBlock(contents, i, i, assistant));
                        }

                        break;
                    case FunctionCallContent:
                        // Calls marked informational were already run by a function-invoking layer: they still belong in the history.
                        blocks.Add(new MessagesBlock(contents, i, i, Assistant: true));
                        break;
                    case FunctionResultContent:
                        blocks.Add(new MessagesBlock(contents, i, i, Assistant: false));
                        break;
                    case DataContent or UriContent when IsSendableMedia(content):
                        if (assistant)
                        {
                            if (WireItems.From(content) is { } producer)
                            {
                                // Another protocol's output (a generated image, say): it has no place in this protocol's assistant turn.
                                GatewayLog.ContentLeftOut(logger, content.GetType().Name, index, producer, MessagesServerBlocks.Protocol);
                                break;
                            }

                            throw new ArgumentException($"Message {index} (assistant) holds a {content.GetType().Name}; in the Messages protocol only user turns carry images and documents.", nameof(messages));
                        }

                        blocks.Add(new MessagesBlock(contents, i, i, Assistant: false));
                        break;
                    case UsageContent or ErrorContent:
                        // Informational: nothing to send.
                        break;
                    case ToolCallContent or ToolResultContent or InputRequestContent or InputResponseContent:
                        // A hosted tool's content this protocol has no block for (another protocol's, or from no protocol at all).
                        GatewayLog.ContentLeftOut(logger, content.GetType().Name, index, WireItems.From(content) ?? "unknown", MessagesServerBlocks.Protocol);
                        break;
                    default:
                        if (WireItems.From(content) is not { } source)
                        {
                            throw Unsupported(index, message, content);
                        }

                        // Another protocol's block or item: a history survives a change of protocol.
                        GatewayLog.ContentLeftOut(logger, content.GetType().Name, index, source, MessagesServerBlocks.Protocol);
                        break;
                }
            }

            index++;
        }

        return system;
    }

    private static ArgumentException Unsupported(int index, ChatMessage message, AIContent content) =>
        MessageChecks.Unsupported(index, message, content, "Messages", message.Role == ChatRole.System || message.Role == Developer ? " in the system prompt" : string.Empty);

    private static bool IsSendableMedia(AIContent content) => content switch
    {
        DataContent data => data.HasTopLevelMediaType("image") || IsPdf(data.MediaType) || IsPlainText(data.MediaType),
        UriContent uri => uri.HasTopLevelMediaType("image") || IsPdf(uri.MediaType),
        _ => false,
    };

    private static bool IsPdf(string mediaType) => mediaType.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase);

    private static bool IsPlainText(string mediaType) => mediaType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the turns: runs of blocks of one role, each a message; in a user turn the tool results lead, as the API requires.</summary>
    private static void WriteTurns(Utf8JsonWriter writer, List<MessagesBlock> blocks)
    {
        writer.WriteStartArray();
        var start = 0;
        while (start < blocks.Count)
        {
            var assistant = blocks[start].Assistant;
            var end = start + 1;
            while (end < blocks.Count && blocks[end].Assistant == assistant)
            {
                end++;
            }

            writer.WriteStartObject();
            writer.WriteString("role"u8, assistant ? "assistant"u8 : "user"u8);
            writer.WritePropertyName("content"u8);
            writer.WriteStartArray();
            if (assistant)
            {
                for (var i = start; i < end; i++)
                {
                    WriteBlock(writer, blocks[i]);
                }
            }
            else
            {
                for (var i = start; i < end; i++)
                {
                    if (blocks[i].Content is FunctionResultContent result)
                    {
                        WriteToolResult(writer, result);
                    }
                }

                for (var i = start; i < end; i++)
                {
                    if (blocks[i].Content is not FunctionResultContent)
                    {
                        WriteBlock(writer, blocks[i]);
                    }
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            start = end;
        }

        writer.WriteEndArray();
    }

    private static void WriteBlock(Utf8JsonWriter writer, MessagesBlock block)
    {
        if (WireItems.TryGetOwn(block.Content, MessagesServerBlocks.Protocol, out var json))
        {
            json.WriteTo(writer);
            return;
        }

        switch (block.Content)
        {
            case TextContent text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, text.Text);
                WireFields.Write(writer, text, MessagesKeys.Fields, "type", "text");
                writer.WriteEndObject();
                break;
            case TextReasoningContent reasoning when ReasoningMarkers.IsRedacted(reasoning):
                writer.WriteStartObject();
                writer.WriteString("type"u8, "redacted_thinking"u8);
                writer.WriteString("data"u8, reasoning.ProtectedData);
                WireFields.Write(writer, reasoning, MessagesKeys.Fields, "type", "data");
                writer.WriteEndObject();
                break;
            case TextReasoningContent reasoning:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "thinking"u8);
                writer.WriteString("thinking"u8, ReasoningText(block));
                writer.WriteString("signature"u8, reasoning.ProtectedData);

                // The first piece carries the block's other fields; the last, its signature.
                WireFields.Write(writer, block.Contents[block.Start], MessagesKeys.Fields, "type", "thinking", "signature");
                writer.WriteEndObject();
                break;
            case FunctionCallContent call:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "tool_use"u8);
                writer.WriteString("id"u8, call.CallId);
                writer.WriteString("name"u8, call.Name);
                writer.WritePropertyName("input"u8);
                if (call.Arguments is null)
                {
                    // The protocol wants an object; arguments that could not be parsed have none to give back.
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
                else
                {
                    JsonValueWriter.Write(writer, call.Arguments, "The arguments of tool call", call.CallId);
                }

                WireFields.Write(writer, call, MessagesKeys.Fields, "type", "id", "name", "input");
                writer.WriteEndObject();
                break;
            case FunctionResultContent result:
                WriteToolResult(writer, result);
                break;
            case DataContent data when data.HasTopLevelMediaType("image"):
                WriteSource(writer, "image"u8, "base64"u8, data.MediaType);
                writer.WriteBase64String("data"u8, data.Data.Span);
                EndSource(writer);
                break;
            case DataContent data when IsPdf(data.MediaType):
                WriteSource(writer, "document"u8, "base64"u8, data.MediaType);
                writer.WriteBase64String("data"u8, data.Data.Span);
                EndSource(writer);
                break;
            case DataContent data:
                // text/plain: the document's text goes as it is; the bytes are UTF-8 already.
                WriteSource(writer, "document"u8, "text"u8, "text/plain");
                writer.WriteString("data"u8, data.Data.Span);
                EndSource(writer);
                break;
            case UriContent uri:
                WriteSource(writer, uri.HasTopLevelMediaType("image") ? "image"u8 : "document"u8, "url"u8, mediaType: null);
                writer.WriteString("url"u8, uri.Uri.AbsoluteUri);
                EndSource(writer);
                break;
        }
    }

    /// <summary>Opens a block with a <c>source</c> object, leaving the source open for its data.</summary>
    private static void WriteSource(Utf8JsonWriter writer, ReadOnlySpan<byte> blockType, ReadOnlySpan<byte> sourceType, string? mediaType)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, blockType);
        writer.WritePropertyName("source"u8);
        writer.WriteStartObject();
        writer.WriteString("type"u8, sourceType);
        if (mediaType is not null)
        {
            writer.WriteString("media_type"u8, mediaType);
        }
    }

    private static void EndSource(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTextBlock(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    /// <summary>Joins the texts of a thinking block's pieces (one piece is used as it is).</summary>
    private static string ReasoningText(MessagesBlock block)
    {
        if (block.Start == block.End)
        {
            return ((TextReasoningContent)block.Content).Text;
        }

        var builder = new StringBuilder();
        for (var i = block.Start; i <= block.End; i++)
        {
            builder.Append(((TextReasoningContent)block.Contents[i]).Text);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Writes a <c>tool_result</c>. The content is the result as text (strings as they are, anything else as JSON). For a
    /// failed call it is the result still, when the function-invoking layer chose one to show the model, else the
    /// exception's message.
    /// </summary>
    private static void WriteToolResult(Utf8JsonWriter writer, FunctionResultContent result)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_result"u8);
        writer.WriteString("tool_use_id"u8, result.CallId);
        var text = result.Exception is { } exception && result.Result is null
            ? exception.Message is { Length: > 0 } message ? message : "The function failed."
            : JsonValueWriter.ToResultText(result.Result, result.CallId);
        if (text.Length > 0)
        {
            writer.WriteString("content"u8, text);
        }

        if (result.Exception is not null)
        {
            writer.WriteBoolean("is_error"u8, true);
        }

        writer.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options, RequestFields fields, ThinkingPlan thinking)
    {
        if (options.Temperature is { } temperature && fields.Maps(Temperature))
        {
            writer.WriteNumber(Temperature, temperature);
        }

        if (options.TopP is { } topP && fields.Maps(TopP))
        {
            writer.WriteNumber(TopP, topP);
        }

        if (options.TopK is { } topK && fields.Maps(TopK))
        {
            writer.WriteNumber(TopK, topK);
        }

        if (options.StopSequences is { Count: > 0 } stop && fields.Maps(StopSequences))
        {
            writer.WritePropertyName(StopSequences);
            writer.WriteStartArray();
            foreach (var sequence in stop)
            {
                writer.WriteStringValue(sequence);
            }

            writer.WriteEndArray();
        }

        // A supplied tools field replaces ChatOptions.Tools as a whole, MCP servers included.
        var mapsTools = fields.Maps(Tools);
        if (options.Tools is { Count: > 0 } tools && (!mapsTools || tools.Any(MessagesToolWriter.IsListedTool)))
        {
            if (mapsTools)
            {
                WriteTools(writer, tools, fields.StrictJsonSchema);
            }

            // Servers refuse tool_choice without tools (a middleware that drops the tools often leaves the mode behind).
            if ((options.ToolMode is not null || options.AllowMultipleToolCalls == false) && fields.Maps(ToolChoice))
            {
                WriteToolChoice(writer, options.ToolMode, disableParallel: options.AllowMultipleToolCalls == false);
            }
        }

        if (mapsTools && options.Tools is { Count: > 0 } servers && servers.Any(static t => t is HostedMcpServerTool) && fields.Maps(McpServers))
        {
            writer.WritePropertyName(McpServers);
            writer.WriteStartArray();
            foreach (var tool in servers)
            {
                if (tool is HostedMcpServerTool mcp)
                {
                    MessagesToolWriter.WriteMcpServer(writer, mcp);
                }
            }

            writer.WriteEndArray();
        }

        if (thinking.Type is { } type)
        {
            writer.WritePropertyName(Thinking);
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            if (thinking.Budget > 0)
            {
                writer.WriteNumber("budget_tokens"u8, thinking.Budget);
            }

            if (thinking.Display is { } display)
            {
                writer.WriteString("display"u8, display);
            }

            writer.WriteEndObject();
        }

        var schema = options.ResponseFormat is ChatResponseFormatJson { Schema: { } s } ? s : (JsonElement?)null;
        if ((thinking.Effort is not null || schema is not null) && fields.Maps(OutputConfig))
        {
            // One output_config carries both the effort and the format.
            writer.WritePropertyName(OutputConfig);
            writer.WriteStartObject();
            if (thinking.Effort is { } effort)
            {
                writer.WriteString("effort"u8, effort);
            }

            if (schema is { } format)
            {
                // "The output_format parameter has moved to output_config.format, and beta headers are no longer required."
                writer.WritePropertyName("format"u8);
                writer.WriteStartObject();
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WritePropertyName("schema"u8);
                StrictSchema.Write(writer, format, StrictSchemaRules.ClosedObjects);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, IList<AITool> tools, bool? strict)
    {
        writer.WritePropertyName(Tools);
        writer.WriteStartArray();
        foreach (var tool in tools)
        {
            // Checked before writing: every tool is a function declaration or a hosted tool the protocol carries.
            if (tool is AIFunctionDeclaration function)
            {
                writer.WriteStartObject();
                FunctionToolWriter.WriteFields(writer, function, "input_schema"u8, StrictSchemaRules.ClosedObjects, strict);
                writer.WriteEndObject();
            }
            else if (MessagesToolWriter.IsListedTool(tool))
            {
                MessagesToolWriter.WriteTool(writer, tool);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode? mode, bool disableParallel)
    {
        writer.WritePropertyName(ToolChoice);
        writer.WriteStartObject();
        switch (mode)
        {
            case NoneChatToolMode:
                // The "none" choice takes no other field.
                writer.WriteString("type"u8, "none"u8);
                writer.WriteEndObject();
                return;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                writer.WriteString("type"u8, "tool"u8);
                writer.WriteString("name"u8, name);
                break;
            case RequiredChatToolMode:
                writer.WriteString("type"u8, "any"u8);
                break;
            default:
                writer.WriteString("type"u8, "auto"u8);
                break;
        }

        if (disableParallel)
        {
            writer.WriteBoolean("disable_parallel_tool_use"u8, true);
        }

        writer.WriteEndObject();
    }
}
