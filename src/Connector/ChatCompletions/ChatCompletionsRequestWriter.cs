using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>Writes a Chat Completions request body from messages and <see cref="ChatOptions"/>.</summary>
/// <remarks>
/// Of <see cref="ChatOptions.Tools"/>, functions go in <c>tools</c> and a <see cref="HostedWebSearchTool"/> becomes the
/// top-level <c>web_search_options</c>, its additional properties (<c>user_location</c>, <c>search_context_size</c>) its
/// fields; any other hosted tool is an <see cref="ArgumentException"/> naming the protocols that carry it. A
/// <c>tools</c> supplied by the additional properties or the base body replaces <see cref="ChatOptions.Tools"/> as a whole.
/// A strict schema (of the response format or a function) meets OpenAI's strict rules (see <see cref="StrictSchema"/>).
/// The protocol has no field for <see cref="ReasoningOptions.Output"/> or a conversation id: each is logged once per
/// client (<see cref="UnsentOptions"/>).
/// An assistant message's reasoning goes back as <c>reasoning_content</c>, except reasoning that came in
/// <c>reasoning_details</c>, whose entries go back there verbatim (<see cref="ChatCompletionsKeys.ReasoningDetail"/>); a
/// tool call goes back with the fields of its entry kept under <see cref="ChatCompletionsKeys.Fields"/>.
/// </remarks>
internal static class ChatCompletionsRequestWriter
{
    private const string Protocol = "Chat Completions";

    /// <summary>Writes the body.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol, or no model is set anywhere.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request)
    {
        var options = request.Options;
        var stream = request.Stream;
        var fields = new RequestFields(options, request.RawRepresentation);
        using var scratch = JsonScratch.Rent();
        var writer = scratch.Writer;
        writer.WriteStartObject();
        var model = request.Model;
        if (model is null && !fields.Supplies("model"))
        {
            throw new ArgumentException("No model was given: set ChatOptions.ModelId or YuHuanChatClientOptions.ModelId.", nameof(options));
        }

        if (model is not null && fields.Maps("model"))
        {
            writer.WriteString("model"u8, model);
        }

        if (fields.Maps("messages"))
        {
            writer.WritePropertyName("messages"u8);
            WriteMessages(writer, request.Messages, options?.Instructions, request.Logger);
        }

        if (fields.Maps("stream"))
        {
            writer.WriteBoolean("stream"u8, stream);
        }

        if (stream && fields.Maps("stream_options"))
        {
            writer.WritePropertyName("stream_options"u8);
            writer.WriteStartObject();
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }

        if (options is not null)
        {
            request.UnsentOptions.NoteIf(options.Reasoning?.Output is not null, "Reasoning.Output", Protocol);
            request.UnsentOptions.NoteIf(options.ConversationId is { Length: > 0 }, nameof(ChatOptions.ConversationId), Protocol);
            WriteOptions(writer, options, fields);
        }

        fields.WriteExtras(writer);
        writer.WriteEndObject();

        return scratch.ToArray();
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options, RequestFields fields)
    {
        if (options.Temperature is { } temperature && fields.Maps("temperature"))
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (options.TopP is { } topP && fields.Maps("top_p"))
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (options.TopK is { } topK && fields.Maps("top_k"))
        {
            writer.WriteNumber("top_k"u8, topK);
        }

        if (options.MaxOutputTokens is { } maxTokens && fields.Maps("max_tokens"))
        {
            writer.WriteNumber("max_tokens"u8, maxTokens);
        }

        if (options.StopSequences is { Count: > 0 } stop && fields.Maps("stop"))
        {
            writer.WritePropertyName("stop"u8);
            writer.WriteStartArray();
            foreach (var sequence in stop)
            {
                writer.WriteStringValue(sequence);
            }

            writer.WriteEndArray();
        }

        if (options.Seed is { } seed && fields.Maps("seed"))
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (options.FrequencyPenalty is { } frequencyPenalty && fields.Maps("frequency_penalty"))
        {
            writer.WriteNumber("frequency_penalty"u8, frequencyPenalty);
        }

        if (options.PresencePenalty is { } presencePenalty && fields.Maps("presence_penalty"))
        {
            writer.WriteNumber("presence_penalty"u8, presencePenalty);
        }

        // Hosted web search is no tool of this protocol but the web_search_options field; a supplied tools field replaces
        // ChatOptions.Tools as a whole, search included.
        var mapsTools = fields.Maps("tools");
        HostedWebSearchTool? search = null;
        var functions = 0;
        if (options.Tools is { Count: > 0 } all)
        {
            functions = mapsTools ? CountFunctions(all, out search) : all.Count;
        }

        var hasTools = functions > 0;
        if (hasTools && mapsTools)
        {
            WriteTools(writer, options.Tools!, fields.StrictJsonSchema);
        }

        if (search is not null && fields.Maps("web_search_options"))
        {
            writer.WritePropertyName("web_search_options"u8);
            writer.WriteStartObject();
            HostedTools.WriteExtras(writer, search);
            writer.WriteEndObject();
        }

        // Servers refuse tool_choice without tools (a middleware that drops the tools often leaves the mode behind).
        if (hasTools && options.ToolMode is { } toolMode && fields.Maps("tool_choice"))
        {
            writer.WritePropertyName("tool_choice"u8);
            WriteToolChoice(writer, toolMode);
        }

        if (hasTools && options.AllowMultipleToolCalls is { } parallel && fields.Maps("parallel_tool_calls"))
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }

        if (options.ResponseFormat is { } format && fields.Maps("response_format"))
        {
            writer.WritePropertyName("response_format"u8);
            WriteResponseFormat(writer, format, fields.StrictJsonSchema);
        }

        if (options.Reasoning?.Effort is { } effort && fields.Maps("reasoning_effort"))
        {
            writer.WriteString("reasoning_effort"u8, ReasoningEffortNames.Of(effort));
        }
    }

    private static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, string? instructions, ILogger logger)
    {
        writer.WriteStartArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, "system"u8);
            writer.WriteString("content"u8, instructions);
            writer.WriteEndObject();
        }

        var index = 0;
        foreach (var message in messages)
        {
            MessageChecks.ThrowIfIncomplete(message, index);
            WriteMessage(writer, message, index++, logger);
        }

        writer.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, int index, ILogger logger)
    {
        var contents = message.Contents;
        var hasCalls = false;
        var hasBody = false;
        var hasMedia = false;
        var textCount = 0;
        foreach (var content in contents)
        {
            switch (content)
            {
                case FunctionCallContent:
                    // Calls marked informational were already run by a function-invoking layer: they still belong in the history.
                    hasCalls = true;
                    break;
                case FunctionResultContent:
                    break;
                case TextContent:
                    textCount++;
                    hasBody = true;
                    break;
                case DataContent or UriContent:
                    hasMedia = true;
                    hasBody = true;
                    break;
                case TextReasoningContent:
                    hasBody = true;
                    break;
                case UsageContent or ErrorContent:
                    // Informational: nothing to send.
                    break;
                case var kept when WireItems.From(kept) is { } source:
                    // Another protocol's kept block or item (Chat Completions keeps none): left out, so the history survives a provider swap.
                    GatewayLog.ContentLeftOut(logger, kept.GetType().Name, index, source, Protocol);
                    break;
                default:
                    throw new ArgumentException(
                        $"A {message.Role} message holds a {content.GetType().Name}, which the Chat Completions protocol cannot carry.",
                        nameof(message));
            }
        }

        // Tool results answer the calls of the assistant message before them, so they come first.
        foreach (var content in contents)
        {
            if (content is FunctionResultContent result)
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, "tool"u8);
                writer.WriteString("tool_call_id"u8, result.CallId);
                writer.WriteString("content"u8, ToolCallStrings.ResultText(result));
                writer.WriteEndObject();
            }
        }

        var role = hasCalls ? "assistant" : message.Role.Value;
        if (hasBody || hasCalls)
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, role);
            if (message.AuthorName is { Length: > 0 } author)
            {
                writer.WriteString("name"u8, author);
            }

            if (hasMedia || (textCount > 1 && role == "user"))
            {
                if (role != "user")
                {
                    throw new ArgumentException($"A {role} message holds images or files; in the Chat Completions protocol only user messages can.", nameof(message));
                }

                WriteParts(writer, contents);
            }
            else if (textCount > 0)
            {
                writer.WriteString("content"u8, JoinText(contents, static c => (c as TextContent)?.Text) ?? string.Empty);
            }
            else if (!hasCalls)
            {
                // A message of reasoning only still needs content for strict servers.
                writer.WriteString("content"u8, string.Empty);
            }

            if (role == "assistant" && JoinText(contents, static c => c is TextReasoningContent r && !IsDetail(r) ? r.Text : null) is { } reasoning)
            {
                writer.WriteString("reasoning_content"u8, reasoning);
            }

            if (role == "assistant")
            {
                WriteReasoningDetails(writer, contents);
            }

            if (hasCalls)
            {
                WriteToolCalls(writer, contents);
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>Joins the non-empty texts that <paramref name="textOf"/> finds (a single piece is used as it is), or <see langword="null"/>.</summary>
    private static string? JoinText(IList<AIContent> contents, Func<AIContent, string?> textOf)
    {
        string? single = null;
        System.Text.StringBuilder? builder = null;
        foreach (var content in contents)
        {
            if (textOf(content) is not { Length: > 0 } text)
            {
                continue;
            }

            if (single is null)
            {
                single = text;
            }
            else
            {
                (builder ??= new System.Text.StringBuilder(single)).Append(text);
            }
        }

        return builder?.ToString() ?? single;
    }

    private static bool IsDetail(AIContent content) => WireFields.Get(content, ChatCompletionsKeys.ReasoningDetail) is not null;

    /// <summary>
    /// Writes the reasoning that came in <c>reasoning_details</c> back there, every entry as it came (see
    /// <see cref="ReasoningDetailsRun"/>: the first piece of each run of merged pieces holds the run's entries).
    /// </summary>
    private static void WriteReasoningDetails(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        var open = false;
        foreach (var content in contents)
        {
            if (content is not TextReasoningContent)
            {
                continue;
            }

            using var entries = WireFields.Parse(content, ChatCompletionsKeys.ReasoningDetail, JsonValueKind.Array);
            if (entries is not null)
            {
                if (!open)
                {
                    writer.WritePropertyName("reasoning_details"u8);
                    writer.WriteStartArray();
                    open = true;
                }

                foreach (var entry in entries.RootElement.EnumerateArray())
                {
                    entry.WriteTo(writer);
                }
            }
        }

        if (open)
        {
            writer.WriteEndArray();
        }
    }

    private static void WriteParts(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        writer.WritePropertyName("content"u8);
        writer.WriteStartArray();
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent text:
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text"u8);
                    writer.WriteString("text"u8, text.Text);
                    writer.WriteEndObject();
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    WriteImage(writer, data.Uri);
                    break;
                case DataContent data when data.HasTopLevelMediaType("audio"):
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "input_audio"u8);
                    writer.WritePropertyName("input_audio"u8);
                    writer.WriteStartObject();
                    writer.WriteBase64String("data"u8, data.Data.Span);
                    writer.WriteString("format"u8, data.MediaType switch
                    {
                        "audio/mpeg" or "audio/mp3" => "mp3",
                        _ => "wav",
                    });
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                case DataContent data:
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "file"u8);
                    writer.WritePropertyName("file"u8);
                    writer.WriteStartObject();
                    writer.WriteString("file_data"u8, data.Uri);
                    writer.WriteString("filename"u8, data.Name ?? "file");
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    WriteImage(writer, uri.Uri.AbsoluteUri);
                    break;
                case UriContent uri:
                    throw new ArgumentException($"The Chat Completions protocol takes links to images only, not '{uri.MediaType}'.", nameof(contents));
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteImage(Utf8JsonWriter writer, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image_url"u8);
        writer.WritePropertyName("image_url"u8);
        writer.WriteStartObject();
        writer.WriteString("url"u8, url);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        writer.WritePropertyName("tool_calls"u8);
        writer.WriteStartArray();
        foreach (var content in contents)
        {
            if (content is not FunctionCallContent call)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("id"u8, call.CallId);
            writer.WriteString("type"u8, "function"u8);
            writer.WritePropertyName("function"u8);
            writer.WriteStartObject();
            writer.WriteString("name"u8, call.Name);
            ToolCallStrings.WriteArguments(writer, call);
            writer.WriteEndObject();
            WireFields.Write(writer, call, ChatCompletionsKeys.Fields, "id", "type", "function");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteTools(Utf8JsonWriter writer, IList<AITool> tools, bool? strict)
    {
        writer.WritePropertyName("tools"u8);
        writer.WriteStartArray();
        foreach (var tool in tools)
        {
            // Checked before writing: every tool is a function or the web search, which goes elsewhere.
            if (tool is not AIFunctionDeclaration function)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WritePropertyName("function"u8);
            writer.WriteStartObject();
            FunctionToolWriter.WriteFields(writer, function, "parameters"u8, StrictSchemaRules.OpenAIStrict, strict);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Counts the function tools and finds the web search; any other tool is an error naming the protocols that carry it.</summary>
    /// <exception cref="ArgumentException">A tool the protocol cannot carry, or more than one web search.</exception>
    private static int CountFunctions(IList<AITool> tools, out HostedWebSearchTool? search)
    {
        search = null;
        var functions = 0;
        foreach (var tool in tools)
        {
            switch (tool)
            {
                case AIFunctionDeclaration:
                    functions++;
                    break;
                case HostedWebSearchTool web when search is null:
                    HostedTools.CheckExtras(web);
                    search = web;
                    break;
                case HostedWebSearchTool web:
                    throw HostedTools.Unexpressible(web, Protocol, "the protocol has one web_search_options field, so one web search per request.");
                default:
                    throw HostedTools.Unsupported(tool, Protocol, Protocols.Carrying(tool));
            }
        }

        return functions;
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode mode)
    {
        switch (mode)
        {
            case NoneChatToolMode:
                writer.WriteStringValue("none"u8);
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WritePropertyName("function"u8);
                writer.WriteStartObject();
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
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

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat format, bool? strict)
    {
        writer.WriteStartObject();
        switch (format)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WritePropertyName("json_schema"u8);
                writer.WriteStartObject();
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

                writer.WriteEndObject();
                break;
            case ChatResponseFormatJson:
                writer.WriteString("type"u8, "json_object"u8);
                break;
            default:
                writer.WriteString("type"u8, "text"u8);
                break;
        }

        writer.WriteEndObject();
    }
}
