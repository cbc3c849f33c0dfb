using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>Writes a Responses request body (<c>POST responses</c>) from messages and <see cref="ChatOptions"/>.</summary>
/// <remarks>
/// <para>What is mapped:</para>
/// <list type="table">
/// <listheader><term>Source</term><description>Request field</description></listheader>
/// <item><term><see cref="ChatRequest.Model"/></term><description><c>model</c></description></item>
/// <item><term><see cref="ChatOptions.Instructions"/></term><description><c>instructions</c></description></item>
/// <item><term>the messages</term><description><c>input</c> items, in order (see <see cref="ResponsesInputWriter"/>)</description></item>
/// <item><term><see cref="ChatOptions.ConversationId"/></term><description><c>previous_response_id</c>, or <c>conversation</c> for an id starting with <c>conv_</c>; the input is then only the messages after the last assistant message, as the server holds the rest</description></item>
/// <item><term><see cref="ChatRequest.Stream"/></term><description><c>stream</c></description></item>
/// <item><term><see cref="ChatOptions.AllowBackgroundResponses"/> <see langword="true"/></term><description><c>background: true</c></description></item>
/// <item><term><c>store: false</c> in the additional properties or the base body</term><description><c>include: ["reasoning.encrypted_content"]</c>, unless either supplies <c>include</c>: reasoning of a response the server does not keep can only come back encrypted</description></item>
/// <item><term><see cref="ChatOptions.Temperature"/>, <see cref="ChatOptions.TopP"/>, <see cref="ChatOptions.MaxOutputTokens"/></term><description><c>temperature</c>, <c>top_p</c>, <c>max_output_tokens</c> (each only when set; the protocol requires no limit)</description></item>
/// <item><term><see cref="ChatOptions.Tools"/>: functions</term><description><c>tools</c>, flat: <c>{"type":"function","name","description","parameters","strict"}</c> (<c>strict</c> false unless asked for)</description></item>
/// <item><term><see cref="ChatOptions.Tools"/>: hosted tools</term><description><c>web_search</c>, <c>file_search</c>, <c>code_interpreter</c>, <c>image_generation</c>, <c>mcp</c> (see <see cref="ResponsesToolWriter"/>)</description></item>
/// <item><term><see cref="ChatOptions.ToolMode"/>, <see cref="ChatOptions.AllowMultipleToolCalls"/></term><description><c>tool_choice</c> (<c>auto</c>, <c>none</c>, <c>required</c> or <c>{"type":"function","name"}</c>), <c>parallel_tool_calls</c> (only when tools are sent)</description></item>
/// <item><term><see cref="ChatOptions.Reasoning"/></term><description><c>reasoning</c>: <c>effort</c> <c>none</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>xhigh</c>; <c>summary</c> <c>auto</c> for <see cref="ReasoningOutput.Summary"/>, <c>detailed</c> for <see cref="ReasoningOutput.Full"/>, none for <see cref="ReasoningOutput.None"/> (the server then writes no summary)</description></item>
/// <item><term><see cref="ChatOptions.ResponseFormat"/></term><description><c>text.format</c>: <c>{"type":"json_schema","name","description","schema","strict"}</c> (name <c>response</c> when unset; <c>strict</c> when asked for) with a schema, <c>{"type":"json_object"}</c> without; plain text writes nothing</description></item>
/// </list>
/// <para>
/// <see cref="ReasoningOutput.Summary"/> maps to <c>auto</c> rather than <c>concise</c>, which several reasoning models
/// refuse; <c>auto</c> lets the server choose the summarizer the model has. <c>strict</c>, which
/// <see cref="ChatResponseFormatJson"/> cannot express, comes from <c>AdditionalProperties["strictJsonSchema"]</c>
/// (Microsoft.Extensions.AI's key, never sent as a field) for structured output and function tools; a function's own
/// <c>strict</c> property wins, and a function is sent with <c>"strict": false</c> otherwise, since the protocol makes
/// functions strict unless told not to.
/// </para>
/// <para>
/// Not mapped, as the protocol has no such fields, each logged once per client (<see cref="UnsentOptions"/>): top-k, stop
/// sequences, seed, penalties. A strict schema meets OpenAI's strict rules (see <see cref="StrictSchema"/>). <c>store</c>, <c>include</c>, <c>metadata</c>, <c>truncation</c> and anything
/// else go through <see cref="ChatOptions.AdditionalProperties"/>, which, like the base body from
/// <see cref="ChatOptions.RawRepresentationFactory"/>, follows <see cref="RequestFields"/>' precedence (a supplied <c>tools</c>
/// replaces <see cref="ChatOptions.Tools"/> as a whole). A tool the protocol has no definition for is an
/// <see cref="ArgumentException"/> naming the protocols that carry it.
/// </para>
/// </remarks>
internal sealed class ResponsesRequestWriter : RequestWriter
{
    /// <summary>The prefix of a server-side conversation's id, which goes out as <c>conversation</c> rather than <c>previous_response_id</c>.</summary>
    internal const string ConversationPrefix = "conv_";

    /// <summary>The protocol's tables; a function is sent with <c>"strict": false</c> unless asked for, as the protocol makes it strict otherwise.</summary>
    private static readonly RequestForm Form = new(
        Options: new(
            Temperature: "temperature", TopP: "top_p", TopK: OptionField.NotSent, MaxOutputTokens: "max_output_tokens", StopSequences: OptionField.NotSent,
            Seed: OptionField.NotSent, FrequencyPenalty: OptionField.NotSent, PresencePenalty: OptionField.NotSent, ConversationId: OptionField.Mapped, ReasoningOutput: OptionField.Mapped),
        Efforts: new(None: "none", Low: "low", Medium: "medium", High: "high", ExtraHigh: "xhigh"),
        StrictRules: StrictSchemaRules.EveryPropertyRequired,
        Functions: new(SchemaField: "parameters", Type: "function", StrictWhenUnset: false),
        ToolChoice: new(Auto: "auto", None: "none", Required: "required", Named: "function", ParallelField: "parallel_tool_calls"));

    private static readonly JsonEncodedText Instructions = JsonEncodedText.Encode("instructions");
    private static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText PreviousResponseId = JsonEncodedText.Encode("previous_response_id");
    private static readonly JsonEncodedText Conversation = JsonEncodedText.Encode("conversation");
    private static readonly JsonEncodedText Background = JsonEncodedText.Encode("background");
    private static readonly JsonEncodedText Store = JsonEncodedText.Encode("store");
    private static readonly JsonEncodedText Include = JsonEncodedText.Encode("include");
    private static readonly JsonEncodedText Reasoning = JsonEncodedText.Encode("reasoning");
    private static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");

    private IReadOnlyList<ChatMessage> _messages = [];
    private string? _conversationId;
    private int _start;
    private string? _effort;
    private string? _summary;

    private ResponsesRequestWriter(ChatRequest request)
        : base(request, ResponsesProtocol.DisplayName, Form) => Stored = IsStored(Fields);

    /// <summary>Gets a value indicating whether the server will store the response (see <see cref="Write(ChatRequest, out bool)"/>).</summary>
    private bool Stored { get; }

    /// <summary>Writes the JSON body of <paramref name="request"/>.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request) => Write(request, out _);

    /// <summary>Writes the JSON body of <paramref name="request"/>, and says whether the server will store the response.</summary>
    /// <param name="request">The request.</param>
    /// <param name="stored">
    /// Whether the response will be stored by the server (so its id may be named by a later <c>previous_response_id</c>):
    /// unless <c>store</c> is <see langword="false"/> in the additional properties or the raw base body (an additional
    /// property wins over the base body, as in the body written).
    /// </param>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request, out bool stored)
    {
        var writer = new ResponsesRequestWriter(request);
        stored = writer.Stored;
        return writer.WriteBody();
    }

    /// <summary>Everything that can fail is checked before a byte is written.</summary>
    protected override void Prepare()
    {
        _messages = Request.Messages as IReadOnlyList<ChatMessage> ?? [.. Request.Messages];
        _conversationId = Options?.ConversationId is { Length: > 0 } id ? id : null;
        _start = ResponsesInputWriter.Check(_messages, continuing: _conversationId is not null, stored: Stored);
        (_effort, _summary) = PlanReasoning();
        CheckTools();
    }

    protected override bool AcceptHostedTool(AITool tool) => ResponsesToolWriter.Accept(tool);

    protected override void WriteInput(Utf8JsonWriter writer)
    {
        if (Options?.Instructions is { Length: > 0 } instructions && Fields.TryWriteName(writer, Instructions))
        {
            writer.WriteStringValue(instructions);
        }

        if (Fields.TryWriteName(writer, Input))
        {
            ResponsesInputWriter.Write(writer, _messages, _start, Stored, Request.Logger);
        }

        if (_conversationId is { } conversationId
            && Fields.TryWriteName(writer, conversationId.StartsWith(ConversationPrefix, StringComparison.Ordinal) ? Conversation : PreviousResponseId))
        {
            writer.WriteStringValue(conversationId);
        }
    }

    /// <summary>Writes <c>background</c>, and asks for encrypted reasoning when the server keeps nothing.</summary>
    protected override void WriteDelivery(Utf8JsonWriter writer)
    {
#pragma warning disable MEAI001 // Background responses are experimental in Microsoft.Extensions.AI.
        if (Options?.AllowBackgroundResponses == true && Fields.TryWriteName(writer, Background))
#pragma warning restore MEAI001
        {
            writer.WriteBooleanValue(true);
        }

        if (!Stored && Fields.TryWriteName(writer, Include))
        {
            writer.WriteStartArray();
            writer.WriteStringValue("reasoning.encrypted_content"u8);
            writer.WriteEndArray();
        }
    }

    protected override void WriteHostedTool(Utf8JsonWriter writer, AITool tool) => ResponsesToolWriter.Write(writer, tool);

    protected override void WriteOutput(Utf8JsonWriter writer, ChatOptions options)
    {
        if ((_effort is not null || _summary is not null) && Fields.TryWriteName(writer, Reasoning))
        {
            writer.WriteStartObject();
            if (_effort is not null)
            {
                writer.WriteString("effort"u8, _effort);
            }

            if (_summary is not null)
            {
                writer.WriteString("summary"u8, _summary);
            }

            writer.WriteEndObject();
        }

        if (options.ResponseFormat is ChatResponseFormatJson json && Fields.TryWriteName(writer, Text))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("format"u8);
            writer.WriteStartObject();
            if (json.Schema is { } schema)
            {
                writer.WriteString("type"u8, "json_schema"u8);
                WriteSchemaFormat(writer, json, schema);
            }
            else
            {
                writer.WriteString("type"u8, "json_object"u8);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    private static bool IsStored(RequestFields fields) => !(fields.TryGetSupplied(Store.Value, out var store) && IsFalse(store));

    private static bool IsFalse(object? value) => value switch
    {
        bool b => !b,
        JsonElement element => element.ValueKind == JsonValueKind.False,
        JsonNode node => node.GetValueKind() == JsonValueKind.False,
        _ => false,
    };

    /// <summary>Gets the wire names of the reasoning effort and summary to write, each <see langword="null"/> when not written.</summary>
    /// <exception cref="ArgumentException">The effort or output is not one the library knows.</exception>
    private (string? Effort, string? Summary) PlanReasoning()
    {
        if (Options?.Reasoning is not { } reasoning || !Fields.Maps(Reasoning))
        {
            return (null, null);
        }

        var effort = reasoning.Effort is { } level ? Efforts.Of(level) : null;
        var summary = reasoning.Output switch
        {
            null or ReasoningOutput.None => null,
            ReasoningOutput.Summary => "auto",
            ReasoningOutput.Full => "detailed",
            _ => throw new ArgumentException($"Unknown reasoning output '{reasoning.Output}'.", OptionsParameter),
        };
        return (effort, summary);
    }
}
