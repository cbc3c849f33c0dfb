using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>
/// Maps a complete content block that is neither text, thinking nor a function call (a server tool's use or result, an
/// MCP call or result, or a block type the library does not know) onto the content that describes it, kept with the
/// block's JSON (<see cref="WireItems.Keep{T}(T, JsonElement, string)"/>) so a later request carries it back unchanged.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Block</term><description>Content</description></listheader>
/// <item><term><c>server_tool_use</c> named <c>web_search</c></term><description><see cref="WebSearchToolCallContent"/> with the query.</description></item>
/// <item><term><c>server_tool_use</c> named <c>code_execution</c>, <c>bash_code_execution</c>, <c>text_editor_code_execution</c></term><description><see cref="CodeInterpreterToolCallContent"/> with the code or command as input.</description></item>
/// <item><term><c>web_search_tool_result</c></term><description><see cref="WebSearchToolResultContent"/>: one <see cref="UriContent"/> per result (title under <c>"title"</c>), or an <see cref="ErrorContent"/>.</description></item>
/// <item><term><c>code_execution_tool_result</c>, <c>bash_code_execution_tool_result</c>, <c>text_editor_code_execution_tool_result</c></term><description><see cref="CodeInterpreterToolResultContent"/>: stdout as <see cref="TextContent"/>, stderr as <see cref="ErrorContent"/> with the code <c>stderr</c>, files as <see cref="HostedFileContent"/>, an error as <see cref="ErrorContent"/>.</description></item>
/// <item><term><c>mcp_tool_use</c> / <c>mcp_tool_result</c></term><description><see cref="McpServerToolCallContent"/> / <see cref="McpServerToolResultContent"/>.</description></item>
/// <item><term>anything else (<c>web_fetch</c>, tool search, <c>container_upload</c>, <c>compaction</c>, unknown)</term><description>a plain <see cref="AIContent"/>.</description></item>
/// </list>
/// </remarks>
internal static class MessagesServerBlocks
{
    /// <summary>The protocol's name, as kept contents record it.</summary>
    public const string Protocol = MessagesProtocol.DisplayName;

    /// <summary>Maps the block <paramref name="block"/> (a JSON object) and keeps its JSON on the content.</summary>
    public static AIContent Map(JsonElement block)
    {
        var content = block.ValueKind == JsonValueKind.Object ? Describe(block) : null;
        return WireItems.Keep(content ?? new AIContent(), block, Protocol);
    }

    /// <summary>Maps the UTF-8 JSON of a block; see <see cref="Map(JsonElement)"/>.</summary>
    public static AIContent Map(ReadOnlySpan<byte> utf8Block)
    {
        using var document = JsonDocument.Parse(utf8Block.ToArray());
        return Map(document.RootElement);
    }

#pragma warning disable MEAI001 // The hosted tool contents are experimental in Microsoft.Extensions.AI.
    private static AIContent? Describe(JsonElement block)
    {
        var type = String(block, "type");
        switch (type)
        {
            case "server_tool_use" when String(block, "id") is { } id:
                return ServerToolUse(id, String(block, "name"), block.TryGetProperty("input", out var input) ? input : default);

            case "web_search_tool_result" when String(block, "tool_use_id") is { } id:
                return new WebSearchToolResultContent(id) { Outputs = WebSearchOutputs(block) };

            case "code_execution_tool_result" or "bash_code_execution_tool_result" or "text_editor_code_execution_tool_result"
                when String(block, "tool_use_id") is { } id:
                return new CodeInterpreterToolResultContent(id) { Outputs = CodeOutputs(block) };

            // Blank ids and names are kept as plain blocks: the MCP contents refuse them.
            case "mcp_tool_use" when String(block, "id") is { } id && String(block, "name") is { } name && !string.IsNullOrWhiteSpace(id) && !string.IsNullOrWhiteSpace(name):
                return new McpServerToolCallContent(id, name, String(block, "server_name"))
                {
                    Arguments = block.TryGetProperty("input", out var arguments) ? Arguments(arguments) : null,
                };

            case "mcp_tool_result" when String(block, "tool_use_id") is { } id && !string.IsNullOrWhiteSpace(id):
                return new McpServerToolResultContent(id) { Outputs = McpOutputs(block) };

            default:
                return null;
        }
    }

    private static AIContent? ServerToolUse(string id, string? name, JsonElement input)
    {
        switch (name)
        {
            case "web_search":
                var query = input.ValueKind == JsonValueKind.Object ? String(input, "query") : null;
                return new WebSearchToolCallContent(id) { Queries = query is null ? null : [query] };

            case "code_execution":
                return CodeCall(id, input, "code", "text/x-python");

            case "bash_code_execution":
                return CodeCall(id, input, "command", "text/x-shellscript");

            case "text_editor_code_execution":
                return new CodeInterpreterToolCallContent(id)
                {
                    Inputs = input.ValueKind == JsonValueKind.Object ? [new DataContent(Encoding.UTF8.GetBytes(input.GetRawText()), "application/json")] : null,
                };

            default:
                return null;
        }
    }

    private static CodeInterpreterToolCallContent CodeCall(string id, JsonElement input, string field, string mediaType) =>
        new(id)
        {
            Inputs = input.ValueKind == JsonValueKind.Object && String(input, field) is { } code ? [new DataContent(Encoding.UTF8.GetBytes(code), mediaType)] : null,
        };

    private static List<AIContent>? WebSearchOutputs(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content))
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.Object)
        {
            return [ResultError(content)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var outputs = new List<AIContent>();
        foreach (var result in content.EnumerateArray())
        {
            if (result.ValueKind == JsonValueKind.Object && String(result, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                var output = new UriContent(uri, "text/html");
                if (String(result, "title") is { } title)
                {
                    output.AdditionalProperties = new() { ["title"] = title };
                }

                outputs.Add(output);
            }
        }

        return outputs;
    }

    private static List<AIContent>? CodeOutputs(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (String(result, "error_code") is not null)
        {
            return [ResultError(result)];
        }

        // stderr as an error content: two text contents side by side would be merged into one when updates are.
        var outputs = new List<AIContent>();
        if (String(result, "stdout") is { } stdout)
        {
            outputs.Add(new TextContent(stdout));
        }

        if (String(result, "stderr") is { } stderr)
        {
            outputs.Add(new ErrorContent(stderr) { ErrorCode = "stderr" });
        }

        if (result.TryGetProperty("content", out var inner))
        {
            if (inner.ValueKind == JsonValueKind.String && inner.GetString() is { Length: > 0 } text)
            {
                // A text editor's view: the file's content.
                outputs.Add(new TextContent(text));
            }
            else if (inner.ValueKind == JsonValueKind.Array)
            {
                foreach (var file in inner.EnumerateArray())
                {
                    if (file.ValueKind == JsonValueKind.Object && String(file, "file_id") is { } fileId)
                    {
                        outputs.Add(new HostedFileContent(fileId));
                    }
                }
            }
        }

        return outputs;
    }

    private static List<AIContent>? McpOutputs(JsonElement block)
    {
        var isError = block.TryGetProperty("is_error", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (!block.TryGetProperty("content", out var content))
        {
            return null;
        }

        var outputs = new List<AIContent>();
        if (content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } single)
        {
            outputs.Add(isError ? new ErrorContent(single) : new TextContent(single));
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object && String(part, "text") is { } text)
                {
                    outputs.Add(isError ? new ErrorContent(text) : new TextContent(text));
                }
            }
        }

        return outputs;
    }
#pragma warning restore MEAI001

    private static ErrorContent ResultError(JsonElement error)
    {
        var code = String(error, "error_code");
        return new ErrorContent(code is null ? "The server tool failed." : $"The server tool failed: {code}.") { ErrorCode = code };
    }

    private static Dictionary<string, object?>? Arguments(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var arguments = new Dictionary<string, object?>();
        foreach (var property in input.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }

    /// <summary>Gets a non-empty string field of an object, or <see langword="null"/>.</summary>
    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
