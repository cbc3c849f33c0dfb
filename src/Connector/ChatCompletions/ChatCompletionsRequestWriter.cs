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
internal sealed class ChatCompletionsRequestWriter : RequestWriter
{
    private static readonly RequestForm Form = new(
        Options: new(
            Temperature: "temperature", TopP: "top_p", TopK: "top_k", MaxOutputTokens: "max_tokens", StopSequences: "stop", Seed: "seed",
            FrequencyPenalty: "frequency_penalty", PresencePenalty: "presence_penalty", ConversationId: OptionField.NotSent, ReasoningOutput: OptionField.NotSent),
        Efforts: new(None: "none", Low: "low", Medium: "medium", High: "high", ExtraHigh: "xhigh"),
        StrictRules: StrictSchemaRules.EveryPropertyRequired,
        Functions: new(SchemaField: "parameters", Type: "function", Wrapper: "function"),
        ToolChoice: new(Auto: "auto", None: "none", Required: "required", Named: "function", NameUnder: "function", ParallelField: "parallel_tool_calls"));

    private static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText StreamOptions = JsonEncodedText.Encode("stream_options");
    private static readonly JsonEncodedText WebSearchOptions = JsonEncodedText.Encode("web_search_options");
    private static readonly JsonEncodedText ResponseFormat = JsonEncodedText.Encode("response_format");
    private static readonly JsonEncodedText ReasoningEffortField = JsonEncodedText.Encode("reasoning_effort");

    private HostedWebSearchTool? _search;

    private ChatCompletionsRequestWriter(ChatRequest request)
        : base(request, ChatCompletionsProtocol.DisplayName, Form)
    {
    }

    /// <summary>Writes the body.</summary>
    /// <exception cref="ArgumentException">A message or option cannot be expressed in the protocol.</exception>
    public static ReadOnlyMemory<byte> Write(ChatRequest request) => new ChatCompletionsRequestWriter(request).WriteBody();

    /// <summary>A hosted web search is no tool of this protocol but the top-level <c>web_search_options</c>: one per request.</summary>
    protected override bool AcceptHostedTool(AITool tool)
    {
        switch (tool)
        {
            case HostedWebSearchTool web when _search is null:
                _search = web;
                return true;
            case HostedWebSearchTool web:
                throw HostedTools.Unexpressible(web, Protocol, "the protocol has one web_search_options field, so one web search per request.");
            default:
                return false;
        }
    }

    protected override void WriteInput(Utf8JsonWriter writer)
    {
        if (Fields.TryWriteName(writer, Messages))
        {
            WriteMessages(writer, Request.Messages, Options?.Instructions, Request.Logger);
        }
    }

    /// <summary>Asks for usage in a stream (<c>stream_options.include_usage</c>).</summary>
    protected override void WriteDelivery(Utf8JsonWriter writer)
    {
        if (Request.Stream && Fields.TryWriteName(writer, StreamOptions))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }
    }

    /// <summary>Only functions go in <c>tools</c>.</summary>
    protected override bool IsListed(AITool tool) => tool is AIFunctionDeclaration;

    protected override void WriteAfterTools(Utf8JsonWriter writer, IList<AITool> tools)
    {
        if (_search is { } search && Fields.TryWriteName(writer, WebSearchOptions))
        {
            writer.WriteStartObject();
            HostedTools.WriteExtras(writer, search);
            writer.WriteEndObject();
        }
    }

    protected override void WriteOutput(Utf8JsonWriter writer, ChatOptions options)
    {
        if (options.ResponseFormat is { } format && Fields.TryWriteName(writer, ResponseFormat))
        {
            WriteResponseFormat(writer, format);
        }

        if (options.Reasoning?.Effort is { } effort && Fields.Maps(ReasoningEffortField))
        {
            writer.WriteString(ReasoningEffortField, Efforts.Of(effort));
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
                    GatewayLog.ContentLeftOut(logger, kept.GetType().Name, index, source, ChatCompletionsProtocol.DisplayName);
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
            ToolCallStrings.WriteArguments(writer, "arguments"u8, call);
            writer.WriteEndObject();
            WireFields.Write(writer, call, ChatCompletionsKeys.Fields, "id", "type", "function");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat format)
    {
        writer.WriteStartObject();
        switch (format)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WritePropertyName("json_schema"u8);
                writer.WriteStartObject();
                WriteSchemaFormat(writer, json, schema);
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
