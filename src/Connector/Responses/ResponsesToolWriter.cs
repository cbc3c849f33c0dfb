using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>Writes the definitions of Microsoft.Extensions.AI's hosted tools in a Responses request's <c>tools</c>.</summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Tool</term><description>Definition</description></listheader>
/// <item><term><see cref="HostedWebSearchTool"/></term><description><c>{"type":"web_search"}</c></description></item>
/// <item><term><see cref="HostedFileSearchTool"/></term><description><c>{"type":"file_search","vector_store_ids":[…],"max_num_results"?}</c>, the stores from its <see cref="HostedFileSearchTool.Inputs"/> (<see cref="HostedVectorStoreContent"/>)</description></item>
/// <item><term><see cref="HostedCodeInterpreterTool"/></term><description><c>{"type":"code_interpreter","container":{"type":"auto","file_ids"?:[…]}}</c>, the files from its <see cref="HostedCodeInterpreterTool.Inputs"/> (<see cref="HostedFileContent"/>)</description></item>
/// <item><term><see cref="HostedImageGenerationTool"/></term><description><c>{"type":"image_generation","model"?,"size"?,"output_format"?,"partial_images"?}</c> from its <c>Options</c> (and their additional properties)</description></item>
/// <item><term><see cref="HostedMcpServerTool"/></term><description><c>{"type":"mcp","server_label","server_url"|"connector_id","server_description"?,"allowed_tools"?,"require_approval"?,"headers"?|"authorization"?}</c></description></item>
/// </list>
/// <para>
/// An MCP server address that is an http(s) URL is a <c>server_url</c>, with the tool's headers as <c>headers</c>;
/// any other address names a connector the provider hosts (<c>connector_id</c>), whose bearer token goes as
/// <c>authorization</c>. The approval mode maps to <c>"always"</c>, <c>"never"</c> or
/// <c>{"always":{"tool_names"},"never":{"tool_names"}}</c>. Every tool's own additional properties are written last
/// and replace a mapped field of the same name (see <see cref="HostedTools"/>).
/// </para>
/// </remarks>
internal static class ResponsesToolWriter
{
    private const string Protocol = ResponsesProtocol.DisplayName;

    /// <summary>Checks a hosted tool before the body is written.</summary>
    /// <returns><see langword="false"/> when the protocol has no definition for the tool.</returns>
    /// <exception cref="ArgumentException">The tool's settings cannot be expressed.</exception>
    public static bool Accept(AITool tool)
    {
        switch (tool)
        {
            case HostedWebSearchTool or HostedMcpServerTool:
                return true;
            case HostedFileSearchTool fileSearch:
                var stores = 0;
                foreach (var input in fileSearch.Inputs ?? [])
                {
                    if (input is not HostedVectorStoreContent)
                    {
                        throw HostedTools.Unexpressible(tool, Protocol, $"its Inputs hold a {input.GetType().Name}; file_search searches vector stores, given as HostedVectorStoreContent.");
                    }

                    stores++;
                }

                if (stores == 0 && HostedTools.Maps(tool, "vector_store_ids"))
                {
                    throw HostedTools.Unexpressible(tool, Protocol, "file_search needs at least one vector store: add a HostedVectorStoreContent to its Inputs.");
                }

                return true;
            case HostedCodeInterpreterTool interpreter:
                foreach (var input in interpreter.Inputs ?? [])
                {
                    if (input is not HostedFileContent)
                    {
                        throw HostedTools.Unexpressible(tool, Protocol, $"its Inputs hold a {input.GetType().Name}; code_interpreter takes uploaded files, given as HostedFileContent.");
                    }
                }

                return true;
            case var _ when HostedTools.IsImageGeneration(tool):
                CheckImageGeneration(tool);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes the definition of a hosted tool that <see cref="Accept"/> passed.</summary>
    public static void Write(Utf8JsonWriter writer, AITool tool)
    {
        writer.WriteStartObject();
        switch (tool)
        {
            case HostedWebSearchTool:
                WriteType(writer, tool, "web_search"u8);
                break;
            case HostedFileSearchTool fileSearch:
                WriteType(writer, tool, "file_search"u8);
                if (HostedTools.Maps(tool, "vector_store_ids"))
                {
                    WriteNames(writer, "vector_store_ids"u8, (fileSearch.Inputs ?? []).Select(static input => ((HostedVectorStoreContent)input).VectorStoreId));
                }

                if (fileSearch.MaximumResultCount is { } max && HostedTools.Maps(tool, "max_num_results"))
                {
                    writer.WriteNumber("max_num_results"u8, max);
                }

                break;
            case HostedCodeInterpreterTool interpreter:
                WriteType(writer, tool, "code_interpreter"u8);
                if (HostedTools.Maps(tool, "container"))
                {
                    writer.WritePropertyName("container"u8);
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "auto"u8);
                    if (interpreter.Inputs is { Count: > 0 } inputs)
                    {
                        WriteNames(writer, "file_ids"u8, inputs.Select(static input => ((HostedFileContent)input).FileId));
                    }

                    writer.WriteEndObject();
                }

                break;
            case HostedMcpServerTool mcp:
                WriteMcp(writer, mcp);
                break;
            default:
                WriteType(writer, tool, "image_generation"u8);
                WriteImageGeneration(writer, tool);
                break;
        }

        HostedTools.WriteExtras(writer, tool);
        writer.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter writer, AITool tool, ReadOnlySpan<byte> type)
    {
        if (HostedTools.Maps(tool, "type"))
        {
            writer.WriteString("type"u8, type);
        }
    }

    private static void WriteMcp(Utf8JsonWriter writer, HostedMcpServerTool mcp)
    {
        WriteType(writer, mcp, "mcp"u8);
        if (HostedTools.Maps(mcp, "server_label"))
        {
            writer.WriteString("server_label"u8, mcp.ServerName);
        }

        var url = HostedTools.IsUrl(mcp.ServerAddress);
        if (url ? HostedTools.Maps(mcp, "server_url") : HostedTools.Maps(mcp, "connector_id"))
        {
            writer.WriteString(url ? "server_url"u8 : "connector_id"u8, mcp.ServerAddress);
        }

        if (mcp.ServerDescription is { Length: > 0 } description && HostedTools.Maps(mcp, "server_description"))
        {
            writer.WriteString("server_description"u8, description);
        }

        if (mcp.AllowedTools is { } allowed && HostedTools.Maps(mcp, "allowed_tools"))
        {
            WriteNames(writer, "allowed_tools"u8, allowed);
        }

        if (mcp.ApprovalMode is { } mode && HostedTools.Maps(mcp, "require_approval"))
        {
            writer.WritePropertyName("require_approval"u8);
            switch (mode)
            {
                case HostedMcpServerToolAlwaysRequireApprovalMode:
                    writer.WriteStringValue("always"u8);
                    break;
                case HostedMcpServerToolNeverRequireApprovalMode:
                    writer.WriteStringValue("never"u8);
                    break;
                case HostedMcpServerToolRequireSpecificApprovalMode specific:
                    writer.WriteStartObject();
                    WriteToolNames(writer, "always"u8, specific.AlwaysRequireApprovalToolNames);
                    WriteToolNames(writer, "never"u8, specific.NeverRequireApprovalToolNames);
                    writer.WriteEndObject();
                    break;
                default:
                    throw HostedTools.Unexpressible(mcp, Protocol, $"its approval mode {mode.GetType().Name} is not one the library knows.");
            }
        }

        if (mcp.Headers is { Count: > 0 } headers)
        {
            if (url)
            {
                if (HostedTools.Maps(mcp, "headers"))
                {
                    writer.WritePropertyName("headers"u8);
                    writer.WriteStartObject();
                    foreach (var pair in headers)
                    {
                        writer.WriteString(pair.Key, pair.Value);
                    }

                    writer.WriteEndObject();
                }
            }
            else if (HostedTools.BearerToken(headers, out _) is { } token && HostedTools.Maps(mcp, "authorization"))
            {
                writer.WriteString("authorization"u8, token);
            }
        }
    }

    private static void WriteToolNames(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IList<string>? names)
    {
        if (names is { Count: > 0 })
        {
            writer.WritePropertyName(name);
            writer.WriteStartObject();
            WriteNames(writer, "tool_names"u8, names);
            writer.WriteEndObject();
        }
    }

    private static void WriteNames(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IEnumerable<string> names)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var item in names)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

#pragma warning disable MEAI001 // Image generation is experimental in Microsoft.Extensions.AI.
    private static void CheckImageGeneration(AITool tool)
    {
        var options = ((HostedImageGenerationTool)tool).Options;
        if (options?.Count is > 1)
        {
            throw HostedTools.Unexpressible(tool, Protocol, "image_generation makes one image per call; ImageGenerationOptions.Count must be 1 or unset.");
        }

        if (options?.MediaType is { } mediaType && OutputFormat(mediaType) is null)
        {
            throw HostedTools.Unexpressible(tool, Protocol, $"image_generation writes image/png, image/jpeg or image/webp, not '{mediaType}'.");
        }
    }

    private static void WriteImageGeneration(Utf8JsonWriter writer, AITool tool)
    {
        if (((HostedImageGenerationTool)tool).Options is not { } options)
        {
            return;
        }

        var extras = options.AdditionalProperties;
        bool Maps(string name) => HostedTools.Maps(tool, name) && !(extras?.ContainsKey(name) ?? false);
        if (options.ModelId is { Length: > 0 } model && Maps("model"))
        {
            writer.WriteString("model"u8, model);
        }

        if (options.ImageSize is { } size && Maps("size"))
        {
            writer.WriteString("size"u8, string.Create(CultureInfo.InvariantCulture, $"{size.Width}x{size.Height}"));
        }

        if (options.MediaType is { } mediaType && Maps("output_format"))
        {
            writer.WriteString("output_format"u8, OutputFormat(mediaType));
        }

        if (options.StreamingCount is { } partial && Maps("partial_images"))
        {
            writer.WriteNumber("partial_images"u8, partial);
        }

        if (extras is not null)
        {
            foreach (var pair in extras)
            {
                if (HostedTools.Maps(tool, pair.Key))
                {
                    writer.WritePropertyName(pair.Key);
                    JsonValueWriter.Write(writer, pair.Value, "The additional property of the image generation options", pair.Key);
                }
            }
        }
    }
#pragma warning restore MEAI001

    private static string? OutputFormat(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/png" => "png",
        "image/jpeg" or "image/jpg" => "jpeg",
        "image/webp" => "webp",
        _ => null,
    };
}
