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
/// With <see cref="YuHuanChatClientOptions.UseThinkingBudget"/> (older models), an effort becomes
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
internal sealed partial class MessagesRequestWriter : RequestWriter
{
    /// <summary>The smallest thinking budget the protocol accepts, and the budget of <see cref="ReasoningEffort.Low"/>.</summary>
    public const int MinimumThinkingBudget = 1024;

    private static readonly RequestForm Form = new(
        Options: new(
            Temperature: "temperature", TopP: "top_p", TopK: "top_k", MaxOutputTokens: OptionField.Mapped, StopSequences: "stop_sequences",
            Seed: OptionField.NotSent, FrequencyPenalty: OptionField.NotSent, PresencePenalty: OptionField.NotSent, ConversationId: OptionField.NotSent, ReasoningOutput: OptionField.Mapped),

        // ReasoningEffort.None turns thinking off ({"type":"disabled"}); it is no effort word.
        Efforts: new(None: null, Low: "low", Medium: "medium", High: "high", ExtraHigh: "xhigh"),
        StrictRules: StrictSchemaRules.ClosedObjects,
        Functions: new(SchemaField: "input_schema"),
        ToolChoice: new(Auto: "auto", None: "none", Required: "any", Named: "tool", ModesAsObjects: true, DisableParallelField: "disable_parallel_tool_use"));

    private static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("max_tokens");
    private static readonly JsonEncodedText SystemPrompt = JsonEncodedText.Encode("system");
    private static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText McpServers = JsonEncodedText.Encode("mcp_servers");
    private static readonly JsonEncodedText Thinking = JsonEncodedText.Encode("thinking");
    private static readonly JsonEncodedText OutputConfig = JsonEncodedText.Encode("output_config");

    private static readonly ChatRole Developer = new("developer");

    private readonly List<MessagesBlock> _blocks = [];
    private List<string>? _system;
    private int _maxTokens;
    private ThinkingPlan _thinking;
    private List<string>? _betas;

    private readonly bool _useThinkingBudget;

    private MessagesRequestWriter(ChatRequest request, bool useThinkingBudget)
        : base(request, MessagesProtocol.DisplayName, Form) => _useThinkingBudget = useThinkingBudget;

    /// <summary>Writes the body.</summary>
    /// <param name="request">The request.</param>
    /// <param name="useThinkingBudget">Whether an effort maps to budgeted thinking (<see cref="YuHuanChatClientOptions.UseThinkingBudget"/>).</param>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request, bool useThinkingBudget = false) => Write(request, useThinkingBudget, out _);

    /// <summary>Writes the body, and names the beta features its tools need in <paramref name="betas"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="useThinkingBudget">Whether an effort maps to budgeted thinking (<see cref="YuHuanChatClientOptions.UseThinkingBudget"/>).</param>
    /// <param name="betas">The beta features the request's tools need, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request, bool useThinkingBudget, out List<string>? betas)
    {
        var writer = new MessagesRequestWriter(request, useThinkingBudget);
        var body = writer.WriteBody();
        betas = writer._betas is { Count: > 0 } needed ? needed : null;
        return body;
    }

    /// <summary>Everything that can fail is checked before a byte is written.</summary>
    protected override void Prepare()
    {
        var options = Options;
        _system = CollectHistory(Request.Messages, options?.Instructions, _blocks, Request.Logger);
        _maxTokens = options?.MaxOutputTokens ?? Request.DefaultMaxOutputTokens;
        _thinking = PlanThinking();
        CheckTools();
        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: null } && Fields.Maps(OutputConfig))
        {
            throw new ArgumentException(
                "The Messages protocol has no JSON mode without a schema: give ChatResponseFormat.ForJsonSchema a schema, or use a protocol with a JSON mode that needs none (README.md, \"ChatOptions on each protocol\").",
                OptionsParameter);
        }
    }

    protected override bool AcceptHostedTool(AITool tool) => MessagesToolWriter.Accept(tool, _betas ??= []);

    protected override void WriteInput(Utf8JsonWriter writer)
    {
        if (Fields.TryWriteName(writer, MaxTokens))
        {
            writer.WriteNumberValue(_maxTokens);
        }

        if (_system is { Count: > 0 } system && Fields.TryWriteName(writer, SystemPrompt))
        {
            writer.WriteStartArray();
            foreach (var text in system)
            {
                WriteTextBlock(writer, text);
            }

            writer.WriteEndArray();
        }

        if (Fields.TryWriteName(writer, Messages))
        {
            WriteTurns(writer, _blocks);
        }
    }

    /// <summary>MCP servers go in <c>mcp_servers</c>, not in <c>tools</c>.</summary>
    protected override bool IsListed(AITool tool) => tool is not HostedMcpServerTool;

    protected override void WriteHostedTool(Utf8JsonWriter writer, AITool tool) => MessagesToolWriter.WriteTool(writer, tool);

    protected override void WriteAfterToolChoice(Utf8JsonWriter writer, IList<AITool> tools)
    {
        if (tools.Any(static t => t is HostedMcpServerTool) && Fields.TryWriteName(writer, McpServers))
        {
            writer.WriteStartArray();
            foreach (var tool in tools)
            {
                if (tool is HostedMcpServerTool mcp)
                {
                    MessagesToolWriter.WriteMcpServer(writer, mcp);
                }
            }

            writer.WriteEndArray();
        }
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
    /// Decides the mapped <c>thinking</c> and effort (see the remarks); raises <see cref="_maxTokens"/> when a budget needs
    /// it and the caller left the limit to the client.
    /// </summary>
    /// <exception cref="ArgumentException">The effort or output is not one the library knows, or the caller's limit leaves no room for a budget.</exception>
    private ThinkingPlan PlanThinking()
    {
        if (Options?.Reasoning is not { } reasoning || !Fields.Maps(Thinking))
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
            _ => throw new ArgumentException($"Unknown reasoning output '{reasoning.Output}'.", OptionsParameter),
        };
        if (_useThinkingBudget)
        {
            // A budget comes from an effort: an output shown without one asks for nothing, which is said once.
            Request.UnsentOptions.NoteIf(
                reasoning.Effort is null && !omitted,
                "Reasoning.Output",
                Protocol,
                "Reasoning.Effort for budgeted thinking (YuHuanChatClientOptions.UseThinkingBudget)");
            return reasoning.Effort is { } level
                ? new ThinkingPlan("enabled", Budget: PlanBudget(level), Display: omitted ? "omitted" : null)
                : default;
        }

        if (reasoning.Effort is not { } effort)
        {
            // An output alone asks for thinking shown or not; "not shown" alone asks for nothing.
            return omitted ? default : new ThinkingPlan("adaptive", Display: "summarized");
        }

        return new ThinkingPlan("adaptive", Display: omitted ? "omitted" : "summarized", Effort: Efforts.Of(effort));
    }

    /// <summary>Gets the budget of <paramref name="effort"/>, below <see cref="_maxTokens"/> (raising it when the caller left it to the client).</summary>
    private int PlanBudget(ReasoningEffort effort)
    {
        var budget = ThinkingBudget(effort);
        if (budget < _maxTokens || !Fields.Maps(MaxTokens))
        {
            return budget;
        }

        if (Options?.MaxOutputTokens is not { } limit)
        {
            _maxTokens = (int)Math.Min((long)budget + Request.DefaultMaxOutputTokens, int.MaxValue);
            return budget;
        }

        if (limit - 1 < MinimumThinkingBudget)
        {
            throw new ArgumentException(
                $"ChatOptions.MaxOutputTokens is {limit}, which leaves no room for thinking: the Messages protocol needs a thinking budget of at least {MinimumThinkingBudget} tokens below max_tokens. Set MaxOutputTokens to {MinimumThinkingBudget + 1} or more, or leave it unset, or set Reasoning.Effort to None.",
                OptionsParameter);
        }

        return limit - 1;
    }

    protected override void WriteOutput(Utf8JsonWriter writer, ChatOptions options)
    {
        if (_thinking.Type is { } type)
        {
            writer.WritePropertyName(Thinking);
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            if (_thinking.Budget > 0)
            {
                writer.WriteNumber("budget_tokens"u8, _thinking.Budget);
            }

            if (_thinking.Display is { } display)
            {
                writer.WriteString("display"u8, display);
            }

            writer.WriteEndObject();
        }

        var schema = options.ResponseFormat is ChatResponseFormatJson { Schema: { } s } ? s : (JsonElement?)null;
        if ((_thinking.Effort is not null || schema is not null) && Fields.Maps(OutputConfig))
        {
            // One output_config carries both the effort and the format.
            writer.WritePropertyName(OutputConfig);
            writer.WriteStartObject();
            if (_thinking.Effort is { } effort)
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
}
