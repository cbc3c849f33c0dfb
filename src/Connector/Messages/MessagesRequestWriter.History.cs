// The history: system texts, turns of messages and their content blocks (text, media, tool use and results, thinking, kept blocks).
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

internal sealed partial class MessagesRequestWriter
{
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
                    if (WireItems.From(reasoning) is { } source && source != MessagesProtocol.DisplayName)
                    {
                        // Another protocol's reasoning: its encrypted content is no signature this API issued.
                        GatewayLog.ContentLeftOut(logger, nameof(TextReasoningContent), index, source, MessagesProtocol.DisplayName);
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
                if (WireItems.TryGetOwn(content, MessagesProtocol.DisplayName, out _))
                {
                    // A block a Messages response held goes back as it came, in its place.
                    blocks.Add(new MessagesBlock(contents, i, i, assistant));
                    continue;
                }

                if (WireItems.From(content) == MessagesProtocol.DisplayName)
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
                                GatewayLog.ContentLeftOut(logger, content.GetType().Name, index, producer, MessagesProtocol.DisplayName);
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
                        GatewayLog.ContentLeftOut(logger, content.GetType().Name, index, WireItems.From(content) ?? "unknown", MessagesProtocol.DisplayName);
                        break;
                    default:
                        if (WireItems.From(content) is not { } source)
                        {
                            throw Unsupported(index, message, content);
                        }

                        // Another protocol's block or item: a history survives a change of protocol.
                        GatewayLog.ContentLeftOut(logger, content.GetType().Name, index, source, MessagesProtocol.DisplayName);
                        break;
                }
            }

            index++;
        }

        return system;
    }

    private static ArgumentException Unsupported(int index, ChatMessage message, AIContent content) =>
        MessageChecks.Unsupported(index, message, content, MessagesProtocol.DisplayName, message.Role == ChatRole.System || message.Role == Developer ? " in the system prompt" : string.Empty);

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
        if (WireItems.TryGetOwn(block.Content, MessagesProtocol.DisplayName, out var json))
        {
            json.WriteTo(writer);
            return;
        }

        switch (block.Content)
        {
            case TextContent text:
                WriteKeptBlock(writer, "text"u8, "text", text.Text, text);
                break;
            case TextReasoningContent reasoning when ReasoningMarkers.IsRedacted(reasoning):
                WriteKeptBlock(writer, "redacted_thinking"u8, "data", reasoning.ProtectedData, reasoning);
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
            case DataContent data when data.HasTopLevelMediaType("image") || IsPdf(data.MediaType):
                WriteSource(writer, data.HasTopLevelMediaType("image") ? "image"u8 : "document"u8, "base64"u8, data.MediaType);
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

    /// <summary>Writes a block of <paramref name="type"/> with one field of its own, and the fields kept on <paramref name="content"/> (<see cref="MessagesKeys.Fields"/>).</summary>
    private static void WriteKeptBlock(Utf8JsonWriter writer, ReadOnlySpan<byte> type, string field, string? value, AIContent content)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteString(field, value);
        WireFields.Write(writer, content, MessagesKeys.Fields, "type", field);
        writer.WriteEndObject();
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
}
