using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
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
internal static partial class MessagesRequestWriter
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
    public static ReadOnlyMemory<byte> Write(ChatRequest request) => Write(request, out _);

    /// <summary>Writes the body, and names the beta features its tools need in <paramref name="betas"/>.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol, or no model is set anywhere.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request, out List<string>? betas)
    {
        ArgumentNullException.ThrowIfNull(request);
        betas = null;
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
            foreach (var tool in tools)
            {
                MessagesToolWriter.Check(tool, betas ??= []);
            }

            if (betas is { Count: 0 })
            {
                betas = null;
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
