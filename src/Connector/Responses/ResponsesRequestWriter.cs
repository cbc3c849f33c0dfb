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
internal static class ResponsesRequestWriter
{
    /// <summary>The prefix of a server-side conversation's id, which goes out as <c>conversation</c> rather than <c>previous_response_id</c>.</summary>
    internal const string ConversationPrefix = "conv_";

    private const string Protocol = "Responses";

    private static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText Instructions = JsonEncodedText.Encode("instructions");
    private static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText PreviousResponseId = JsonEncodedText.Encode("previous_response_id");
    private static readonly JsonEncodedText Conversation = JsonEncodedText.Encode("conversation");
    private static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText Background = JsonEncodedText.Encode("background");
    private static readonly JsonEncodedText Store = JsonEncodedText.Encode("store");
    private static readonly JsonEncodedText Include = JsonEncodedText.Encode("include");
    private static readonly JsonEncodedText Temperature = JsonEncodedText.Encode("temperature");
    private static readonly JsonEncodedText TopP = JsonEncodedText.Encode("top_p");
    private static readonly JsonEncodedText MaxOutputTokens = JsonEncodedText.Encode("max_output_tokens");
    private static readonly JsonEncodedText Tools = JsonEncodedText.Encode("tools");
    private static readonly JsonEncodedText ToolChoice = JsonEncodedText.Encode("tool_choice");
    private static readonly JsonEncodedText ParallelToolCalls = JsonEncodedText.Encode("parallel_tool_calls");
    private static readonly JsonEncodedText Reasoning = JsonEncodedText.Encode("reasoning");
    private static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");

    /// <summary>Writes the JSON body of <paramref name="request"/>.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol, or no model is set anywhere.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request) => Write(request, out _);

    /// <summary>Writes the JSON body of <paramref name="request"/>, and says whether the server will store the response.</summary>
    /// <param name="request">The request.</param>
    /// <param name="stored">
    /// Whether the response will be stored by the server (so its id may be named by a later <c>previous_response_id</c>):
    /// unless <c>store</c> is <see langword="false"/> in the additional properties or the raw base body (an additional
    /// property wins over the base body, as in the body written).
    /// </param>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol, or no model is set anywhere.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request, out bool stored)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        var fields = new RequestFields(options, request.RawRepresentation);
        stored = IsStored(fields);
        var model = request.Model;
        if (model is null && !fields.Supplies(Model.Value))
        {
            throw new ArgumentException("No model was given: set ChatOptions.ModelId or YuHuanChatClientOptions.ModelId.", nameof(request));
        }

        // Everything that can fail is checked before a byte is written.
        var messages = request.Messages as IReadOnlyList<ChatMessage> ?? [.. request.Messages];
        var conversationId = options?.ConversationId is { Length: > 0 } id ? id : null;
        var start = ResponsesInputWriter.Check(messages, continuing: conversationId is not null, stored: IsStored(fields));
        var (effort, summary) = PlanReasoning(options, fields);
        if (options?.Tools is { Count: > 0 } tools && fields.Maps(Tools))
        {
            foreach (var tool in tools)
            {
                ResponsesToolWriter.Check(tool);
            }
        }

        if (options is not null)
        {
            var unsent = request.UnsentOptions;
            unsent.NoteIf(options.Seed is not null, nameof(ChatOptions.Seed), Protocol);
            unsent.NoteIf(options.StopSequences is { Count: > 0 }, nameof(ChatOptions.StopSequences), Protocol);
            unsent.NoteIf(options.FrequencyPenalty is not null, nameof(ChatOptions.FrequencyPenalty), Protocol);
            unsent.NoteIf(options.PresencePenalty is not null, nameof(ChatOptions.PresencePenalty), Protocol);
            unsent.NoteIf(options.TopK is not null, nameof(ChatOptions.TopK), Protocol);
        }

        using var scratch = JsonScratch.Rent();
        var writer = scratch.Writer;
        writer.WriteStartObject();
        if (model is not null && fields.Maps(Model))
        {
            writer.WriteString(Model, model);
        }

        if (options?.Instructions is { Length: > 0 } instructions && fields.Maps(Instructions))
        {
            writer.WriteString(Instructions, instructions);
        }

        if (fields.Maps(Input))
        {
            writer.WritePropertyName(Input);
            ResponsesInputWriter.Write(writer, messages, start, IsStored(fields), request.Logger);
        }

        if (conversationId is not null)
        {
            var field = conversationId.StartsWith(ConversationPrefix, StringComparison.Ordinal) ? Conversation : PreviousResponseId;
            if (fields.Maps(field))
            {
                writer.WriteString(field, conversationId);
            }
        }

        if (fields.Maps(Stream))
        {
            writer.WriteBoolean(Stream, request.Stream);
        }

#pragma warning disable MEAI001 // Background responses are experimental in Microsoft.Extensions.AI.
        if (options?.AllowBackgroundResponses == true && fields.Maps(Background))
#pragma warning restore MEAI001
        {
            writer.WriteBoolean(Background, true);
        }

        if (!IsStored(fields) && fields.Maps(Include))
        {
            writer.WritePropertyName(Include);
            writer.WriteStartArray();
            writer.WriteStringValue("reasoning.encrypted_content"u8);
            writer.WriteEndArray();
        }

        if (options is not null)
        {
            WriteOptions(writer, options, fields, effort, summary);
        }

        fields.WriteExtras(writer);
        writer.WriteEndObject();
        return scratch.ToArray();
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
    private static (string? Effort, string? Summary) PlanReasoning(ChatOptions? options, RequestFields fields)
    {
        if (options?.Reasoning is not { } reasoning || !fields.Maps(Reasoning))
        {
            return (null, null);
        }

        var effort = reasoning.Effort is { } level ? ReasoningEffortNames.Of(level) : null;
        var summary = reasoning.Output switch
        {
            null or ReasoningOutput.None => null,
            ReasoningOutput.Summary => "auto",
            ReasoningOutput.Full => "detailed",
            _ => throw new ArgumentException($"Unknown reasoning output '{reasoning.Output}'.", nameof(options)),
        };
        return (effort, summary);
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options, RequestFields fields, string? effort, string? summary)
    {
        if (options.Temperature is { } temperature && fields.Maps(Temperature))
        {
            writer.WriteNumber(Temperature, temperature);
        }

        if (options.TopP is { } topP && fields.Maps(TopP))
        {
            writer.WriteNumber(TopP, topP);
        }

        if (options.MaxOutputTokens is { } maxOutputTokens && fields.Maps(MaxOutputTokens))
        {
            writer.WriteNumber(MaxOutputTokens, maxOutputTokens);
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            if (fields.Maps(Tools))
            {
                WriteTools(writer, tools, fields.StrictJsonSchema ?? false);
            }

            // Servers refuse tool_choice without tools (a middleware that drops the tools often leaves the mode behind).
            if (options.ToolMode is { } mode && fields.Maps(ToolChoice))
            {
                WriteToolChoice(writer, mode);
            }

            if (options.AllowMultipleToolCalls is { } parallel && fields.Maps(ParallelToolCalls))
            {
                writer.WriteBoolean(ParallelToolCalls, parallel);
            }
        }

        if (effort is not null || summary is not null)
        {
            writer.WritePropertyName(Reasoning);
            writer.WriteStartObject();
            if (effort is not null)
            {
                writer.WriteString("effort"u8, effort);
            }

            if (summary is not null)
            {
                writer.WriteString("summary"u8, summary);
            }

            writer.WriteEndObject();
        }

        if (options.ResponseFormat is ChatResponseFormatJson json && fields.Maps(Text))
        {
            WriteTextFormat(writer, json, fields.StrictJsonSchema);
        }
    }

    /// <summary>
    /// Writes the tools: functions each with <c>strict</c> (the Responses API makes a function strict when it is not told
    /// otherwise), hosted tools as <see cref="ResponsesToolWriter"/> maps them.
    /// </summary>
    private static void WriteTools(Utf8JsonWriter writer, IList<AITool> tools, bool strict)
    {
        writer.WritePropertyName(Tools);
        writer.WriteStartArray();
        foreach (var tool in tools)
        {
            // Checked before writing: every tool is a function declaration or a hosted tool the protocol carries.
            if (tool is AIFunctionDeclaration function)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                FunctionToolWriter.WriteFields(writer, function, "parameters"u8, StrictSchemaRules.OpenAIStrict, strict);
                writer.WriteEndObject();
            }
            else
            {
                ResponsesToolWriter.Write(writer, tool);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode mode)
    {
        writer.WritePropertyName(ToolChoice);
        switch (mode)
        {
            case NoneChatToolMode:
                writer.WriteStringValue("none"u8);
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                break;
            case RequiredChatToolMode:
                writer.WriteStringValue("required"u8);
                break;
            default:
                writer.WriteStringValue("auto"u8);
                break;
        }
    }

    private static void WriteTextFormat(Utf8JsonWriter writer, ChatResponseFormatJson json, bool? strict)
    {
        writer.WritePropertyName(Text);
        writer.WriteStartObject();
        writer.WritePropertyName("format"u8);
        writer.WriteStartObject();
        if (json.Schema is { } schema)
        {
            writer.WriteString("type"u8, "json_schema"u8);
            writer.WriteString("name"u8, json.SchemaName ?? "response");
            if (!string.IsNullOrEmpty(json.SchemaDescription))
            {
                writer.WriteString("description"u8, json.SchemaDescription);
            }

            writer.WritePropertyName("schema"u8);
            StrictSchema.WriteIfStrict(writer, schema, strict);
            if (strict is { } value)
            {
                writer.WriteBoolean("strict"u8, value);
            }
        }
        else
        {
            writer.WriteString("type"u8, "json_object"u8);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
