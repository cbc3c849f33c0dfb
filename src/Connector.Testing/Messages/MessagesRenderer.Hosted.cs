// MessagesRenderer: the blocks of hosted-tool and raw parts (server and MCP tool uses, their results, raw blocks).
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

internal sealed partial class MessagesRenderer
{
    /// <summary>
    /// Gets the blocks a hosted-tool or raw part becomes: a server tool use and its result, an MCP tool use and its result,
    /// or the raw block; none for a part Messages has no shape for (an MCP approval request, an image generation, a file
    /// search), and
    /// <see langword="null"/> for a part of any other kind.
    /// </summary>
    private static List<MessagesHostedBlock>? HostedBlocks(ReplyPart part, RenderContext context)
    {
        switch (part.Kind)
        {
            case ReplyPartKind.WebSearch when part.WebSearch is { } search:
                return ServerToolBlocks(part, context, "web_search", ("query", search.Query), w =>
                {
                    w.WriteStartArray("content");
                    foreach (var result in search.Results)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "web_search_result");
                        w.WriteString("url", result.Url);
                        w.WriteString("title", result.Title);
                        if (result.EncryptedContent is { } encrypted)
                        {
                            w.WriteString("encrypted_content", encrypted);
                        }

                        w.WriteNull("page_age");
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });

            case ReplyPartKind.WebFetch when part.WebFetch is { } page:
                return ServerToolBlocks(part, context, "web_fetch", ("url", page.Url), w =>
                {
                    w.WritePropertyName("content");
                    w.WriteStartObject();
                    w.WriteString("type", "web_fetch_result");
                    w.WriteString("url", page.Url);
                    w.WritePropertyName("content");
                    w.WriteStartObject();
                    w.WriteString("type", "document");
                    w.WritePropertyName("source");
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("media_type", "text/plain");
                    w.WriteString("data", page.Text);
                    w.WriteEndObject();
                    w.WriteString("title", page.Title);
                    w.WriteEndObject();
                    w.WriteString("retrieved_at", DateTimeOffset.FromUnixTimeSeconds(context.Created).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                });

            case ReplyPartKind.CodeExecution when part.CodeExecution is { } run:
            {
                var name = run.IsBash ? "bash_code_execution" : "code_execution";
                return ServerToolBlocks(part, context, name, (run.IsBash ? "command" : "code", run.Code), w =>
                {
                    w.WritePropertyName("content");
                    w.WriteStartObject();
                    w.WriteString("type", name + "_result");
                    w.WriteString("stdout", run.Stdout);
                    w.WriteString("stderr", run.Stderr);
                    w.WriteNumber("return_code", run.ReturnCode);
                    w.WriteStartArray("content");
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
            }

            case ReplyPartKind.McpCall when part.Mcp is { } call:
            {
                var id = part.CallId ?? context.Ids.Next(McpToolUseIdPrefix);
                var blocks = new List<MessagesHostedBlock> { ToolUseBlock("mcp_tool_use", id, call.Tool, call.Server, Encoding.UTF8.GetBytes(call.ArgumentsJson)) };
                if (call.ResultText is { } result)
                {
                    blocks.Add(ResultBlock("mcp_tool_result", id, w =>
                    {
                        w.WriteBoolean("is_error", call.IsError);
                        w.WriteStartArray("content");
                        w.WriteStartObject();
                        w.WriteString("type", "text");
                        w.WriteString("text", result);
                        w.WriteEndObject();
                        w.WriteEndArray();
                    }));
                }

                return blocks;
            }

            case ReplyPartKind.RawItem:
                return [new MessagesHostedBlock((w, _) => WriteRawFields(w, part.Text), StreamedInput: null)];

            case ReplyPartKind.McpApprovalRequest or ReplyPartKind.ImageGeneration or ReplyPartKind.FileSearch:
                // Messages has no approval requests, no image generation and no file search.
                return [];

            default:
                return null;
        }
    }

    /// <summary>
    /// A server tool's <c>server_tool_use</c> block (<paramref name="name"/>, the id scripted or <c>srvtoolu_emu_N</c>, an input
    /// of one field) and its <c>{name}_tool_result</c> block, whose fields after <c>type</c> and <c>tool_use_id</c>
    /// <paramref name="writeResult"/> writes.
    /// </summary>
    private static List<MessagesHostedBlock> ServerToolBlocks(ReplyPart part, RenderContext context, string name, (string Name, string Value) input, Action<Utf8JsonWriter> writeResult)
    {
        var id = part.CallId ?? context.Ids.Next(ServerToolUseIdPrefix);
        var inputJson = EmulatorJson.Render(w =>
        {
            w.WriteStartObject();
            w.WriteString(input.Name, input.Value);
            w.WriteEndObject();
        });
        return [ToolUseBlock("server_tool_use", id, name, serverName: null, inputJson), ResultBlock(name + "_tool_result", id, writeResult)];
    }

    /// <summary>A tool's result block, arriving whole: its <c>type</c> and <c>tool_use_id</c>, then the fields <paramref name="writeFields"/> writes.</summary>
    private static MessagesHostedBlock ResultBlock(string type, string toolUseId, Action<Utf8JsonWriter> writeFields) => new(
        (w, _) =>
        {
            w.WriteString("type", type);
            w.WriteString("tool_use_id", toolUseId);
            writeFields(w);
        },
        StreamedInput: null);

    /// <summary>A <c>server_tool_use</c> or <c>mcp_tool_use</c> block: whole in a complete message, with <c>input: {}</c>
    /// at <c>content_block_start</c> and the input in <c>input_json_delta</c>s when streamed.</summary>
    private static MessagesHostedBlock ToolUseBlock(string type, string id, string name, string? serverName, byte[] input) => new(
        (w, streamedStart) =>
        {
            w.WriteString("type", type);
            w.WriteString("id", id);
            w.WriteString("name", name);
            if (serverName is not null)
            {
                w.WriteString("server_name", serverName);
            }

            w.WritePropertyName("input");
            if (streamedStart)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                w.WriteRawValue(input);
            }
        },
        Encoding.UTF8.GetString(input));

    /// <summary>Writes the properties of the JSON object <paramref name="json"/> into an open object, as they are.</summary>
    private static void WriteRawFields(Utf8JsonWriter w, string json)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            property.WriteTo(w);
        }
    }
}
