using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// What every protocol's request writer does, around the parts that are its own: one instance writes one request's body.
/// A protocol fills in its tables (<see cref="RequestForm"/>) and writes its history, its delivery fields, its hosted tools
/// and its output fields (reasoning, response format).
/// </summary>
/// <remarks>
/// <para>
/// Everything that can fail is checked before a byte is written (<see cref="Prepare"/>, with the tools checked by
/// <see cref="CheckTools"/>); then the options the protocol has no field for are noted (<see cref="UnsentOptions"/>). The
/// body holds, in order:
/// </para>
/// <list type="number">
/// <item><c>model</c>: <see cref="ChatRequest.Model"/>, when set (the client has checked that it is, or that a <c>model</c> is supplied);</item>
/// <item>the protocol's input (<see cref="WriteInput"/>): the history and what frames it;</item>
/// <item><c>stream</c>, then the protocol's delivery fields (<see cref="WriteDelivery"/>);</item>
/// <item>the options <see cref="RequestForm.Options"/> names a field for, in the order of <see cref="OptionFields"/>;</item>
/// <item>
/// <c>tools</c>: the functions (<see cref="RequestForm.Functions"/>) and the hosted tools the protocol lists there
/// (<see cref="IsListed"/>, <see cref="WriteHostedTool"/>), with the fields of the tools it does not list
/// (<see cref="WriteAfterTools"/>, <see cref="WriteAfterToolChoice"/>); <c>tool_choice</c> and parallelism
/// (<see cref="RequestForm.ToolChoice"/>) only when something is listed, as servers refuse a tool choice without tools;
/// </item>
/// <item>the protocol's output fields (<see cref="WriteOutput"/>);</item>
/// <item>the base body's fields and the additional properties (<see cref="RequestFields.WriteExtras"/>).</item>
/// </list>
/// <para>
/// A field the base body or the additional properties supply is left to them (<see cref="RequestFields"/>); a supplied
/// <c>tools</c> replaces <see cref="ChatOptions.Tools"/> as a whole, the tools the protocol does not list included.
/// </para>
/// </remarks>
internal abstract class RequestWriter
{
    /// <summary>The parameter an option's error names: the caller's <see cref="ChatOptions"/>.</summary>
    protected const string OptionsParameter = "options";

    private static readonly JsonEncodedText ModelField = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText StreamField = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText ToolsField = JsonEncodedText.Encode("tools");
    private static readonly JsonEncodedText ToolChoiceField = JsonEncodedText.Encode("tool_choice");

    /// <summary>The members <see cref="OptionFields"/> places, in the order their fields are written, with how to read each.</summary>
    private static readonly (string Option, Func<OptionFields, OptionField> FieldOf, Func<ChatOptions, object?> ValueOf)[] Entries =
    [
        (nameof(ChatOptions.Temperature), static t => t.Temperature, static o => o.Temperature),
        (nameof(ChatOptions.TopP), static t => t.TopP, static o => o.TopP),
        (nameof(ChatOptions.TopK), static t => t.TopK, static o => o.TopK),
        (nameof(ChatOptions.MaxOutputTokens), static t => t.MaxOutputTokens, static o => o.MaxOutputTokens),
        (nameof(ChatOptions.StopSequences), static t => t.StopSequences, static o => o.StopSequences),
        (nameof(ChatOptions.Seed), static t => t.Seed, static o => o.Seed),
        (nameof(ChatOptions.FrequencyPenalty), static t => t.FrequencyPenalty, static o => o.FrequencyPenalty),
        (nameof(ChatOptions.PresencePenalty), static t => t.PresencePenalty, static o => o.PresencePenalty),
        (nameof(ChatOptions.ConversationId), static t => t.ConversationId, static o => o.ConversationId),
        ("Reasoning.Output", static t => t.ReasoningOutput, static o => o.Reasoning?.Output),
    ];

    private readonly RequestForm _form;

    /// <summary>Initializes the writer of <paramref name="request"/> in the protocol named <paramref name="protocol"/>, whose tables <paramref name="form"/> holds.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The base body or the additional properties cannot be read.</exception>
    protected RequestWriter(ChatRequest request, string protocol, RequestForm form)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request = request;
        Options = request.Options;
        Fields = new RequestFields(request.Options, request.RawRepresentation);
        Protocol = protocol;
        _form = form;
    }

    /// <summary>Gets the request.</summary>
    protected ChatRequest Request { get; }

    /// <summary>Gets the caller's options, if any.</summary>
    protected ChatOptions? Options { get; }

    /// <summary>Gets who supplies each top-level field.</summary>
    protected RequestFields Fields { get; }

    /// <summary>Gets the protocol's name, as used in messages.</summary>
    protected string Protocol { get; }

    /// <summary>Gets the protocol's words for the levels of reasoning effort.</summary>
    protected ReasoningEffortWords Efforts => _form.Efforts;

    /// <summary>Writes the body.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    public ReadOnlyMemory<byte> WriteBody()
    {
        Prepare();
        if (Options is { } options)
        {
            NoteUnsent(options);
        }

        using var scratch = JsonScratch.Rent();
        var writer = scratch.Writer;
        writer.WriteStartObject();
        if (Request.Model is { } model && Fields.TryWriteName(writer, ModelField))
        {
            writer.WriteStringValue(model);
        }

        WriteInput(writer);
        if (Fields.TryWriteName(writer, StreamField))
        {
            writer.WriteBooleanValue(Request.Stream);
        }

        WriteDelivery(writer);
        if (Options is { } set)
        {
            WriteOptionFields(writer, set);
            WriteTools(writer, set);
            WriteOutput(writer, set);
        }

        Fields.WriteExtras(writer);
        writer.WriteEndObject();
        return scratch.ToArray();
    }

    /// <summary>
    /// Checks everything that can fail and decides what the body holds, before a byte is written; calls
    /// <see cref="CheckTools"/> where the protocol checks its tools. The default checks the tools only.
    /// </summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    protected virtual void Prepare() => CheckTools();

    /// <summary>
    /// Checks every tool of <see cref="ChatOptions.Tools"/> that will be written (none when another source supplies
    /// <c>tools</c>): functions pass, a hosted tool must pass <see cref="AcceptHostedTool"/> and have additional properties
    /// that can be written.
    /// </summary>
    /// <exception cref="ArgumentException">A tool the protocol cannot carry (naming the protocols that can), or a tool's settings the protocol cannot express.</exception>
    protected void CheckTools()
    {
        if (Options?.Tools is not { Count: > 0 } tools || !Fields.Maps(ToolsField))
        {
            return;
        }

        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration)
            {
                // A function's additional properties are its own business, not fields of its definition.
                continue;
            }

            if (!AcceptHostedTool(tool))
            {
                throw HostedTools.Unsupported(tool, Protocol, Request.ToolCarriers(tool));
            }

            HostedTools.CheckExtras(tool);
        }
    }

    /// <summary>Checks a hosted tool's settings before the body is written.</summary>
    /// <returns><see langword="false"/> when the protocol has no definition for the tool.</returns>
    /// <exception cref="ArgumentException">The tool's settings cannot be expressed in the protocol.</exception>
    protected abstract bool AcceptHostedTool(AITool tool);

    /// <summary>Writes the fields before <c>stream</c>: the history and what frames it (instructions, a system prompt, a required limit).</summary>
    protected abstract void WriteInput(Utf8JsonWriter writer);

    /// <summary>Writes the fields after <c>stream</c> that say how the response is delivered; the default writes none.</summary>
    protected virtual void WriteDelivery(Utf8JsonWriter writer)
    {
    }

    /// <summary>Gets a value indicating whether <paramref name="tool"/> (a function, or a hosted tool the protocol accepted) goes in <c>tools</c>; the default lists every tool.</summary>
    protected virtual bool IsListed(AITool tool) => true;

    /// <summary>Writes the definition of a hosted tool <see cref="IsListed"/> puts in <c>tools</c>.</summary>
    protected virtual void WriteHostedTool(Utf8JsonWriter writer, AITool tool) =>
        throw new UnreachableException($"The {Protocol} protocol lists no hosted tool in tools.");

    /// <summary>Writes, after <c>tools</c>, the top-level fields of tools the protocol does not list there; the default writes none.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="tools">The tools, checked; called only when the writer maps <c>tools</c>.</param>
    protected virtual void WriteAfterTools(Utf8JsonWriter writer, IList<AITool> tools)
    {
    }

    /// <summary>Writes, after <c>tool_choice</c>, the top-level fields of tools the protocol does not list in <c>tools</c>; the default writes none.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="tools">The tools, checked; called only when the writer maps <c>tools</c>.</param>
    protected virtual void WriteAfterToolChoice(Utf8JsonWriter writer, IList<AITool> tools)
    {
    }

    /// <summary>Writes the fields after the tools: reasoning and the response format.</summary>
    protected abstract void WriteOutput(Utf8JsonWriter writer, ChatOptions options);

    /// <summary>
    /// Writes the fields of a JSON schema response format: <c>name</c> (the format's, else <c>response</c>),
    /// <c>description</c> (when there is one), <c>schema</c> and <c>strict</c> (when the caller says), the schema meeting
    /// <see cref="RequestForm.StrictRules"/> when strict.
    /// </summary>
    protected void WriteSchemaFormat(Utf8JsonWriter writer, ChatResponseFormatJson format, JsonElement schema) =>
        WriteNamedSchema(writer, format.SchemaName ?? "response", format.SchemaDescription, "schema", schema, Fields.StrictJsonSchema);

    private void NoteUnsent(ChatOptions options)
    {
        foreach (var (option, fieldOf, valueOf) in Entries)
        {
            Request.UnsentOptions.NoteIf(!fieldOf(_form.Options).IsSent && IsSet(valueOf(options)), option, Protocol);
        }
    }

    private void WriteOptionFields(Utf8JsonWriter writer, ChatOptions options)
    {
        foreach (var (option, fieldOf, valueOf) in Entries)
        {
            if (fieldOf(_form.Options).Name is not { } name || valueOf(options) is not { } value || !IsSet(value) || !Fields.TryWriteName(writer, name))
            {
                continue;
            }

            JsonValueWriter.Write(writer, value, "ChatOptions member", option);
        }
    }

    private void WriteTools(Utf8JsonWriter writer, ChatOptions options)
    {
        if (options.Tools is not { Count: > 0 } tools)
        {
            return;
        }

        var mapsTools = Fields.Maps(ToolsField);
        var listed = !mapsTools || tools.Any(IsListed);
        if (listed && mapsTools)
        {
            WriteToolList(writer, tools);
        }

        if (mapsTools)
        {
            WriteAfterTools(writer, tools);
        }

        if (listed)
        {
            WriteToolChoice(writer, options);
        }

        if (mapsTools)
        {
            WriteAfterToolChoice(writer, tools);
        }
    }

    private void WriteToolList(Utf8JsonWriter writer, IList<AITool> tools)
    {
        var strict = Fields.StrictJsonSchema ?? _form.Functions.StrictWhenUnset;
        writer.WritePropertyName(ToolsField);
        writer.WriteStartArray();
        foreach (var tool in tools)
        {
            // Checked before writing: every tool is a function or a hosted tool the protocol carries.
            if (tool is AIFunctionDeclaration function)
            {
                WriteFunction(writer, function, strict);
            }
            else if (IsListed(tool))
            {
                WriteHostedTool(writer, tool);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Gets whether the caller set an option: a value, not an empty list or string.</summary>
    private static bool IsSet(object? value) => value is not (null or ICollection<string> { Count: 0 } or "");

    /// <summary>Writes a function's definition; its own <c>strict</c> property wins over <paramref name="strict"/>.</summary>
    private void WriteFunction(Utf8JsonWriter writer, AIFunctionDeclaration function, bool? strict)
    {
        var form = _form.Functions;
        if (function.AdditionalProperties.TryGetValue("strict", out var own) && own is bool ownValue)
        {
            strict = ownValue;
        }

        writer.WriteStartObject();
        if (form.Type is { } type)
        {
            writer.WriteString("type"u8, type);
        }

        if (form.Wrapper is { } wrapper)
        {
            writer.WritePropertyName(wrapper);
            writer.WriteStartObject();
        }

        WriteNamedSchema(writer, function.Name, function.Description, form.SchemaField, function.JsonSchema, strict);
        if (form.Wrapper is not null)
        {
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <c>name</c>, <c>description</c> (when there is one), the schema under <paramref name="schemaField"/> and <c>strict</c> (when not <see langword="null"/>).</summary>
    private void WriteNamedSchema(Utf8JsonWriter writer, string name, string? description, string schemaField, JsonElement schema, bool? strict)
    {
        writer.WriteString("name"u8, name);
        if (!string.IsNullOrEmpty(description))
        {
            writer.WriteString("description"u8, description);
        }

        writer.WritePropertyName(schemaField);
        if (strict == true)
        {
            StrictSchema.Write(writer, schema, _form.StrictRules);
        }
        else
        {
            schema.WriteTo(writer);
        }

        if (strict is { } value)
        {
            writer.WriteBoolean("strict"u8, value);
        }
    }

    private void WriteToolChoice(Utf8JsonWriter writer, ChatOptions options)
    {
        var form = _form.ToolChoice;
        var mode = options.ToolMode;
        var disableParallel = form.DisableParallelField is not null && options.AllowMultipleToolCalls == false;
        if ((mode is not null || disableParallel) && Fields.TryWriteName(writer, ToolChoiceField))
        {
            var (type, function) = mode switch
            {
                NoneChatToolMode => (form.None, null),
                RequiredChatToolMode { RequiredFunctionName: { } name } => (form.Named, name),
                RequiredChatToolMode => (form.Required, null),
                _ => (form.Auto, (string?)null),
            };
            if (function is null && !form.ModesAsObjects)
            {
                writer.WriteStringValue(type);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, type);
                WriteChoiceName(writer, form, function);

                // The none choice takes no other field.
                if (disableParallel && mode is not NoneChatToolMode)
                {
                    writer.WriteBoolean(form.DisableParallelField!, true);
                }

                writer.WriteEndObject();
            }
        }

        if (form.ParallelField is { } parallelField && options.AllowMultipleToolCalls is { } parallel && Fields.Maps(parallelField))
        {
            writer.WriteBoolean(parallelField, parallel);
        }
    }

    private static void WriteChoiceName(Utf8JsonWriter writer, ToolChoiceForm form, string? function)
    {
        if (function is null)
        {
            return;
        }

        if (form.NameUnder is not { } under)
        {
            writer.WriteString("name"u8, function);
            return;
        }

        writer.WritePropertyName(under);
        writer.WriteStartObject();
        writer.WriteString("name"u8, function);
        writer.WriteEndObject();
    }
}
