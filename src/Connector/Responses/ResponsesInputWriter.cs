using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>Checks the history and writes it as the <c>input</c> items of a Responses request, in order.</summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Content</term><description>Input item</description></listheader>
/// <item><term><c>system</c> / <c>developer</c> message text</term><description><c>message</c> of that role with <c>input_text</c> parts, where it stands in the history</description></item>
/// <item><term><see cref="TextContent"/> in a user (or tool, or any other role's) message</term><description><c>message</c> of role <c>user</c>, <c>input_text</c> part</description></item>
/// <item><term><see cref="DataContent"/> / <see cref="UriContent"/> / <see cref="HostedFileContent"/> <c>image/*</c></term><description><c>input_image</c> part with <c>image_url</c> (a data URI / the link) / <c>file_id</c></description></item>
/// <item><term><see cref="DataContent"/> / <see cref="UriContent"/> / <see cref="HostedFileContent"/> of any other type but audio and video</term><description><c>input_file</c> part with <c>filename</c> (the content's name, else <c>file</c>) and <c>file_data</c> (a data URI) / <c>file_url</c> / <c>file_id</c></description></item>
/// <item><term><see cref="TextContent"/> in an assistant message</term><description><c>message</c> of role <c>assistant</c>, <c>output_text</c> parts with the <c>annotations</c> kept under <see cref="ResponsesKeys.Annotation"/> (its own and those of the empty annotated texts after it; empty when none); consecutive texts share one item, except that a text carrying an item's fields (<see cref="ResponsesKeys.Fields"/>: <c>phase</c>) starts that item, with them</description></item>
/// <item><term><see cref="TextReasoningContent"/> in an assistant message, with <see cref="ResponsesKeys.ItemId"/></term><description><c>reasoning</c> item with that <c>id</c>, the pieces' joined text as one <c>summary_text</c> (no entry when empty), or as one <c>reasoning_text</c> of <c>content</c> when the first piece is marked raw (<see cref="ResponsesKeys.ReasoningPart"/>), <see cref="TextReasoningContent.ProtectedData"/> as <c>encrypted_content</c>, and the first piece's kept fields</description></item>
/// <item><term><see cref="FunctionCallContent"/></term><description><c>function_call</c> with <c>call_id</c>, <c>name</c>, the arguments as a JSON string, and the fields kept under <see cref="ResponsesKeys.Fields"/></description></item>
/// <item><term><see cref="ToolApprovalResponseContent"/> (in a user message, answering an MCP server's approval request)</term><description><c>mcp_approval_response</c> (see <see cref="McpApprovalResponse"/>); in a request the server does not store that continues nothing, it must follow the kept <c>mcp_approval_request</c> item it answers</description></item>
/// <item><term><see cref="FunctionResultContent"/></term><description><c>function_call_output</c> with <c>call_id</c> and the result as text (see <see cref="ToolCallStrings.ResultText"/>)</description></item>
/// <item><term>a content kept from a Responses item (hosted tool calls, approval requests, compaction, unknown items; see <see cref="WireItems"/>) in an assistant message</term><description>the item's JSON (<see cref="WireItems.JsonKey"/>), verbatim, where the content stands; a hosted tool's result content adds nothing (its item goes back with the call); one that lost its JSON in a store is an <see cref="ArgumentException"/>; another protocol's kept content is left out with a Debug log line</description></item>
/// </list>
/// <para>
/// A reasoning item runs from a piece naming its item id through the pieces after it that name the same id or none, up
/// to the piece with the encrypted content (the mapper names the id on the first piece and on that last one; pieces
/// between may have none when the history was not merged). Reasoning that names no item id (another protocol's, or a
/// model's thoughts the caller added) cannot be sent back as a Responses reasoning item, which the server looks up or
/// decrypts by its id and content: it is left out, as is reasoning in any message but an assistant one. Empty text,
/// <see cref="UsageContent"/> and <see cref="ErrorContent"/> are informational and left out; a message left with no part
/// writes no item. Anything else (audio, video, media in an assistant or system message, other content kinds) is an
/// <see cref="ArgumentException"/> naming the message and the content.
/// </para>
/// </remarks>
internal static class ResponsesInputWriter
{
    private const string Protocol = ResponsesProtocol.DisplayName;

    private static readonly ChatRole Developer = new("developer");

    /// <summary>Checks every message and returns the index of the first one to send.</summary>
    /// <param name="messages">The history.</param>
    /// <param name="continuing">Whether the request continues a stored response or conversation, which already holds the history up to its last assistant message.</param>
    /// <param name="stored">Whether the server stores the request; when it does not and the request continues nothing, an approval response must follow the request item it answers, as the server has no other way to find it.</param>
    /// <returns>0, or when <paramref name="continuing"/>, the index after the last assistant message (0 when there is none).</returns>
    /// <exception cref="ArgumentException">A message is null or holds content the protocol cannot carry, a kept content lost its item, or an approval response names a request the input does not hold.</exception>
    public static int Check(IReadOnlyList<ChatMessage> messages, bool continuing, bool stored)
    {
        var start = 0;
        HashSet<string>? approvalRequests = stored || continuing ? null : [];
        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index];
            MessageChecks.ThrowIfIncomplete(message, index);
            var system = IsSystem(message.Role);
            var assistant = message.Role == ChatRole.Assistant;
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent or TextReasoningContent or UsageContent or ErrorContent:
                        break;
                    case not (FunctionCallContent or FunctionResultContent) when assistant && WireItems.From(content) is { } source:
                        // Kept from a server's response: sent back verbatim, or left out when another protocol's. A hosted
                        // tool's result goes back with its call's item; anything else of this protocol must carry its item.
                        if (source == Protocol && !ResponsesHostedItems.IsPartOfKeptItem(content))
                        {
                            if (!WireItems.TryGetOwn(content, Protocol, out var item))
                            {
                                throw WireItems.Lost(content, index);
                            }

                            if (approvalRequests is not null && IsApprovalRequest(item, out var requestId))
                            {
                                approvalRequests.Add(requestId);
                            }
                        }

                        break;
                    case FunctionCallContent or FunctionResultContent when !system:
                        break;
                    case ToolApprovalResponseContent approval when !system:
                        McpApprovalResponse.Check(approval, index, approvalRequests);
                        break;
                    case DataContent or UriContent or HostedFileContent when !system && IsSendableMedia(content):
                        if (assistant)
                        {
                            throw new ArgumentException(
                                $"Message {index} (assistant) holds a {content.GetType().Name}; in the Responses protocol only user messages carry images and files.",
                                nameof(messages));
                        }

                        break;
                    default:
                        throw MessageChecks.Unsupported(index, message, content, Protocol, system ? " in a system message" : string.Empty);
                }
            }

            if (assistant && continuing)
            {
                start = index + 1;
            }
        }

        return start;
    }

    /// <summary>
    /// Writes the <c>input</c> array of the messages from <paramref name="start"/> on; <see cref="Check"/> has passed them.
    /// For a request the server does not store (<paramref name="stored"/> false), a reasoning item goes back only with its
    /// encrypted content: the server could not find it by its id alone.
    /// </summary>
    /// <exception cref="ArgumentException">A tool call's arguments or a tool result cannot be written as JSON.</exception>
    /// <param name="writer">Where the array goes.</param>
    /// <param name="messages">The history.</param>
    /// <param name="start">The index of the first message to send.</param>
    /// <param name="stored">Whether the server stores the request.</param>
    /// <param name="logger">Where a line goes for each kept content of another protocol that is left out.</param>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages, int start, bool stored, ILogger logger)
    {
        writer.WriteStartArray();
        for (var index = start; index < messages.Count; index++)
        {
            var message = messages[index];
            if (IsSystem(message.Role))
            {
                WriteSystem(writer, message);
            }
            else
            {
                WriteContents(writer, message.Contents, message.Role == ChatRole.Assistant, stored, index, logger);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Gets whether a kept item is an <c>mcp_approval_request</c>, and its id.</summary>
    private static bool IsApprovalRequest(JsonElement item, out string id)
    {
        id = item.TryGetProperty("type"u8, out var type) && type.ValueEquals("mcp_approval_request"u8)
            && item.TryGetProperty("id"u8, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : string.Empty;
        return id.Length > 0;
    }

    private static bool IsSystem(ChatRole role) => role == ChatRole.System || role == Developer;

    /// <summary>Media the <c>input_image</c> and <c>input_file</c> parts can carry: anything but audio and video.</summary>
    private static bool IsSendableMedia(AIContent content) => content switch
    {
        DataContent data => !data.HasTopLevelMediaType("audio") && !data.HasTopLevelMediaType("video"),
        UriContent uri => !uri.HasTopLevelMediaType("audio") && !uri.HasTopLevelMediaType("video"),
        HostedFileContent file => !file.HasTopLevelMediaType("audio") && !file.HasTopLevelMediaType("video"),
        _ => false,
    };

    private static void WriteSystem(Utf8JsonWriter writer, ChatMessage message)
    {
        var open = false;
        foreach (var content in message.Contents)
        {
            if (content is TextContent { Text.Length: > 0 } text)
            {
                if (!open)
                {
                    StartMessage(writer, message.Role == Developer ? "developer"u8 : "system"u8);
                    open = true;
                }

                WriteText(writer, text.Text, assistant: false);
            }
        }

        if (open)
        {
            EndMessage(writer);
        }
    }

    /// <summary>Writes the items of a user, tool or assistant message: runs of parts become message items, everything else its own item, in order.</summary>
    private static void WriteContents(Utf8JsonWriter writer, IList<AIContent> contents, bool assistant, bool stored, int messageIndex, ILogger logger)
    {
        var open = false;
        var i = 0;
        while (i < contents.Count)
        {
            var content = contents[i];
            if (assistant && content is not (TextContent or TextReasoningContent) && WireItems.From(content) is { } source)
            {
                open = WriteKept(writer, content, source, open, messageIndex, logger);
                i++;
                continue;
            }

            switch (content)
            {
                case TextContent { Text.Length: > 0 } text when assistant:
                    // A text carrying an item's fields (its phase) starts that item.
                    var fields = WireFields.Get(text, ResponsesKeys.Fields) is not null;
                    if (open && fields)
                    {
                        open = CloseMessage(writer, open);
                    }

                    if (!open)
                    {
                        StartMessage(writer, "assistant"u8, fields ? text : null);
                        open = true;
                    }

                    WriteOutputText(writer, contents, i);
                    break;
                case TextContent { Text.Length: > 0 } or DataContent or UriContent or HostedFileContent:
                    if (!open)
                    {
                        StartMessage(writer, assistant ? "assistant"u8 : "user"u8);
                        open = true;
                    }

                    WritePart(writer, content, assistant);
                    break;
                case FunctionCallContent call:
                    // Calls marked informational were already run by a function-invoking layer: they still belong in the history.
                    open = CloseMessage(writer, open);
                    StartCallItem(writer, "function_call"u8, call.CallId);
                    writer.WriteString("name"u8, call.Name);
                    ToolCallStrings.WriteArguments(writer, "arguments"u8, call);
                    WireFields.Write(writer, call, ResponsesKeys.Fields, "type", "call_id", "name", "arguments");
                    writer.WriteEndObject();
                    break;
                case FunctionResultContent result:
                    open = CloseMessage(writer, open);
                    StartCallItem(writer, "function_call_output"u8, result.CallId);
                    writer.WriteString("output"u8, ToolCallStrings.ResultText(result));
                    writer.WriteEndObject();
                    break;
                case ToolApprovalResponseContent approval:
                    open = CloseMessage(writer, open);
                    McpApprovalResponse.Write(writer, approval);
                    break;
                case TextReasoningContent reasoning when assistant && ItemId(reasoning) is { } id:
                    open = CloseMessage(writer, open);
                    var end = ReasoningEnd(contents, i, id);
                    WriteReasoning(writer, contents, i, end, id, stored);
                    i = end;
                    break;
            }

            i++;
        }

        CloseMessage(writer, open);
    }

    /// <summary>
    /// Writes a content kept from a response: a Responses item's JSON verbatim, as its own input item in its position;
    /// nothing for a content whose item another content carries (a hosted tool's result); another protocol's block is
    /// left out with a Debug line, so that a history survives a provider swap.
    /// </summary>
    private static bool WriteKept(Utf8JsonWriter writer, AIContent content, string source, bool open, int messageIndex, ILogger logger)
    {
        if (WireItems.TryGetOwn(content, Protocol, out var json))
        {
            open = CloseMessage(writer, open);
            json.WriteTo(writer);
        }
        else if (source != Protocol)
        {
            GatewayLog.ContentLeftOut(logger, content.GetType().Name, messageIndex, source, Protocol);
        }

        return open;
    }

    /// <summary>Starts an item of <paramref name="type"/> about the function call <paramref name="callId"/>.</summary>
    private static void StartCallItem(Utf8JsonWriter writer, ReadOnlySpan<byte> type, string callId)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteString("call_id"u8, callId);
    }

    /// <summary>Starts a message item of <paramref name="role"/>, with the fields <paramref name="fieldsOf"/> kept of the item it came from (its <c>phase</c>).</summary>
    private static void StartMessage(Utf8JsonWriter writer, ReadOnlySpan<byte> role, AIContent? fieldsOf = null)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, role);
        if (fieldsOf is not null)
        {
            WireFields.Write(writer, fieldsOf, ResponsesKeys.Fields, "type", "role", "content");
        }

        writer.WritePropertyName("content"u8);
        writer.WriteStartArray();
    }

    private static void EndMessage(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Ends the open message item, if any; returns <see langword="false"/> (no item open) for the caller to keep.</summary>
    private static bool CloseMessage(Utf8JsonWriter writer, bool open)
    {
        if (open)
        {
            EndMessage(writer);
        }

        return false;
    }

    private static void WriteText(Utf8JsonWriter writer, string text, bool assistant)
    {
        writer.WriteStartObject();
        if (assistant)
        {
            writer.WriteString("type"u8, "output_text"u8);
            writer.WriteString("text"u8, text);

            // Servers that validate input items against the output schema require the list, even empty.
            writer.WritePropertyName("annotations"u8);
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("type"u8, "input_text"u8);
            writer.WriteString("text"u8, text);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the assistant text at <paramref name="index"/> as an <c>output_text</c> part, with the annotations kept from
    /// the wire: its own and those of the empty texts after it (streamed annotations arrive on texts of their own).
    /// </summary>
    private static void WriteOutputText(Utf8JsonWriter writer, IList<AIContent> contents, int index)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "output_text"u8);
        writer.WriteString("text"u8, ((TextContent)contents[index]).Text);

        // Servers that validate input items against the output schema require the list, even empty.
        writer.WritePropertyName("annotations"u8);
        writer.WriteStartArray();
        WriteAnnotations(writer, contents[index]);
        for (var next = index + 1; next < contents.Count && contents[next] is TextContent { Text.Length: 0 } annotated; next++)
        {
            WriteAnnotations(writer, annotated);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes the annotations of <paramref name="content"/> that were read from a Responses part, as they came.</summary>
    private static void WriteAnnotations(Utf8JsonWriter writer, AIContent content)
    {
        if (content.Annotations is null)
        {
            return;
        }

        foreach (var annotation in content.Annotations)
        {
            var json = annotation.AdditionalProperties?.TryGetValue(ResponsesKeys.Annotation, out var value) == true
                ? value switch
                {
                    string s => s,
                    JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                    _ => null,
                }
                : null;
            if (json is not null)
            {
                writer.WriteRawValue(json);
            }
        }
    }

    private static void WritePart(Utf8JsonWriter writer, AIContent content, bool assistant)
    {
        switch (content)
        {
            case TextContent text:
                WriteText(writer, text.Text, assistant);
                return;
            case DataContent data when data.HasTopLevelMediaType("image"):
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_image"u8);
                writer.WriteString("image_url"u8, data.Uri);
                break;
            case DataContent data:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_file"u8);
                writer.WriteString("filename"u8, data.Name ?? "file");
                writer.WriteString("file_data"u8, data.Uri);
                break;
            case UriContent uri when uri.HasTopLevelMediaType("image"):
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_image"u8);
                writer.WriteString("image_url"u8, uri.Uri.AbsoluteUri);
                break;
            case UriContent uri:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_file"u8);
                writer.WriteString("file_url"u8, uri.Uri.AbsoluteUri);
                break;
            case HostedFileContent file:
                writer.WriteStartObject();
                writer.WriteString("type"u8, file.HasTopLevelMediaType("image") ? "input_image"u8 : "input_file"u8);
                writer.WriteString("file_id"u8, file.FileId);
                break;
            default:
                return;
        }

        writer.WriteEndObject();
    }

    /// <summary>Gets the reasoning item id a piece names, as the mapper set it or as it reads after the history went through JSON.</summary>
    private static string? ItemId(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(ResponsesKeys.ItemId, out var value) == true
            ? value switch
            {
                string { Length: > 0 } s => s,
                JsonElement { ValueKind: JsonValueKind.String } element when element.GetString() is { Length: > 0 } s => s,
                _ => null,
            }
            : null;

    /// <summary>Finds the last piece of the reasoning item that starts at <paramref name="start"/> (see the type's remarks).</summary>
    private static int ReasoningEnd(IList<AIContent> contents, int start, string id)
    {
        var end = start;
        var sealedByEncryptedContent = HasEncryptedContent(contents[start]);
        while (end + 1 < contents.Count && contents[end + 1] is TextReasoningContent next)
        {
            var nextId = ItemId(next);
            if (nextId is null ? sealedByEncryptedContent : !string.Equals(nextId, id, StringComparison.Ordinal))
            {
                break;
            }

            end++;
            sealedByEncryptedContent |= HasEncryptedContent(next);
        }

        return end;
    }

    private static bool HasEncryptedContent(AIContent content) => content is TextReasoningContent { ProtectedData.Length: > 0 };

    private static void WriteReasoning(Utf8JsonWriter writer, IList<AIContent> contents, int start, int end, string id, bool stored)
    {
        string? text = null;
        StringBuilder? builder = null;
        string? encrypted = null;
        for (var i = start; i <= end; i++)
        {
            var piece = (TextReasoningContent)contents[i];
            if (piece.Text is { Length: > 0 } pieceText)
            {
                if (text is null)
                {
                    text = pieceText;
                }
                else
                {
                    (builder ??= new StringBuilder(text)).Append(pieceText);
                }
            }

            if (piece.ProtectedData is { Length: > 0 } data)
            {
                encrypted = data;
            }
        }

        if (encrypted is null && !stored)
        {
            return;
        }

        // Raw reasoning came as content and goes back as content; a summary as summary.
        var first = contents[start];
        var raw = first.AdditionalProperties?.TryGetValue(ResponsesKeys.ReasoningPart, out var part) == true
            && part is ResponsesKeys.RawReasoning or JsonElement { ValueKind: JsonValueKind.String } && part.ToString() == ResponsesKeys.RawReasoning;
        var joined = builder?.ToString() ?? text;
        writer.WriteStartObject();
        writer.WriteString("type"u8, "reasoning"u8);
        writer.WriteString("id"u8, id);
        writer.WritePropertyName("summary"u8);
        writer.WriteStartArray();
        if (!raw && joined is not null)
        {
            WriteReasoningPart(writer, "summary_text"u8, joined);
        }

        writer.WriteEndArray();
        if (raw && joined is not null)
        {
            writer.WritePropertyName("content"u8);
            writer.WriteStartArray();
            WriteReasoningPart(writer, "reasoning_text"u8, joined);
            writer.WriteEndArray();
        }

        if (encrypted is not null)
        {
            writer.WriteString("encrypted_content"u8, encrypted);
        }

        WireFields.Write(writer, first, ResponsesKeys.Fields, "type", "id", "summary", "content", "encrypted_content");
        writer.WriteEndObject();
    }

    private static void WriteReasoningPart(Utf8JsonWriter writer, ReadOnlySpan<byte> type, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }
}
