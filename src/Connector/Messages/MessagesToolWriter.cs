using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>Writes the definitions of Microsoft.Extensions.AI's hosted tools in a Messages request, and names the beta features they need.</summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Tool</term><description>Definition</description></listheader>
/// <item><term><see cref="HostedWebSearchTool"/></term><description><c>{"type":"web_search_20250305","name":"web_search"}</c> in <c>tools</c></description></item>
/// <item><term><see cref="HostedCodeInterpreterTool"/></term><description><c>{"type":"code_execution_20250825","name":"code_execution"}</c> in <c>tools</c>, with the beta <c>code-execution-2025-08-25</c></description></item>
/// <item><term><see cref="HostedMcpServerTool"/></term><description><c>{"type":"url","url","name","authorization_token"?,"tool_configuration"?:{"allowed_tools"}}</c> in the top-level <c>mcp_servers</c>, with the beta <c>mcp-client-2025-04-04</c></description></item>
/// </list>
/// <para>
/// A tool's own additional properties become fields of its definition (after the mapped ones, replacing a mapped field
/// of the same name): <c>max_uses</c>, <c>allowed_domains</c>, <c>blocked_domains</c>, <c>user_location</c> of a search.
/// Web fetch, which Microsoft.Extensions.AI has no type for, is a <see cref="HostedWebSearchTool"/> whose additional
/// properties say <c>"type":"web_fetch_20250910"</c> and <c>"name":"web_fetch"</c>. A tool <c>type</c> of a code
/// execution or web fetch version (<c>code_execution_YYYYMMDD</c>, <c>web_fetch_YYYYMMDD</c>) turns on the beta feature of
/// that version (<c>code-execution-YYYY-MM-DD</c>, <c>web-fetch-YYYY-MM-DD</c>) through the <c>anthropic-beta</c> header.
/// </para>
/// <para>
/// The MCP connector calls a server at an http(s) URL, sends only a bearer token (an <c>Authorization: Bearer</c> header
/// of the tool) and asks for no approval: other headers, an address that is not a URL, an approval mode that requires
/// approval and code-execution inputs (files reach the container as <c>container_upload</c> blocks) are
/// <see cref="ArgumentException"/>s, never dropped.
/// </para>
/// </remarks>
internal static class MessagesToolWriter
{
    /// <summary>The beta feature of the MCP connector.</summary>
    public const string McpBeta = "mcp-client-2025-04-04";

    /// <summary>The code execution tool version written.</summary>
    public const string CodeExecutionType = "code_execution_20250825";

    private const string Protocol = MessagesProtocol.DisplayName;

    /// <summary>Checks a hosted tool before the body is written and adds the beta features it needs to <paramref name="betas"/>.</summary>
    /// <returns><see langword="false"/> when the protocol has no definition for the tool.</returns>
    /// <exception cref="ArgumentException">The tool's settings cannot be expressed.</exception>
    public static bool Accept(AITool tool, List<string> betas)
    {
        switch (tool)
        {
            case HostedCodeInterpreterTool { Inputs.Count: > 0 } interpreter:
                throw HostedTools.Unexpressible(tool, Protocol, $"its Inputs hold a {interpreter.Inputs[0].GetType().Name}; in the Messages protocol files reach code execution as container_upload blocks of a user message, not as tool inputs.");
            case HostedMcpServerTool mcp:
                CheckMcp(mcp);
                AddBeta(betas, McpBeta);
                return true;
            case HostedWebSearchTool or HostedCodeInterpreterTool:
                if (BetaOf(ToolType(tool)) is { } beta)
                {
                    AddBeta(betas, beta);
                }

                return true;
            default:
                return false;
        }
    }

        /// <summary>Writes the definition of a hosted tool in <c>tools</c> that <see cref="Accept"/> passed.</summary>
    public static void WriteTool(Utf8JsonWriter writer, AITool tool)
    {
        writer.WriteStartObject();
        var (type, name) = tool is HostedCodeInterpreterTool ? (CodeExecutionType, "code_execution") : ("web_search_20250305", "web_search");
        if (HostedTools.Maps(tool, "type"))
        {
            writer.WriteString("type"u8, type);
        }

        if (HostedTools.Maps(tool, "name"))
        {
            writer.WriteString("name"u8, name);
        }

        HostedTools.WriteExtras(writer, tool);
        writer.WriteEndObject();
    }

    /// <summary>Writes an entry of <c>mcp_servers</c> for a tool that <see cref="Accept"/> passed.</summary>
    public static void WriteMcpServer(Utf8JsonWriter writer, HostedMcpServerTool mcp)
    {
        writer.WriteStartObject();
        if (HostedTools.Maps(mcp, "type"))
        {
            writer.WriteString("type"u8, "url"u8);
        }

        if (HostedTools.Maps(mcp, "url"))
        {
            writer.WriteString("url"u8, mcp.ServerAddress);
        }

        if (HostedTools.Maps(mcp, "name"))
        {
            writer.WriteString("name"u8, mcp.ServerName);
        }

        if (HostedTools.BearerToken(mcp.Headers, out _) is { } token && HostedTools.Maps(mcp, "authorization_token"))
        {
            writer.WriteString("authorization_token"u8, token);
        }

        if (mcp.AllowedTools is { } allowed && HostedTools.Maps(mcp, "tool_configuration"))
        {
            writer.WritePropertyName("tool_configuration"u8);
            writer.WriteStartObject();
            writer.WritePropertyName("allowed_tools"u8);
            writer.WriteStartArray();
            foreach (var name in allowed)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        HostedTools.WriteExtras(writer, mcp);
        writer.WriteEndObject();
    }

    /// <summary>Gets the beta feature a tool type needs: <c>code_execution_20250825</c> → <c>code-execution-2025-08-25</c>, the same for <c>web_fetch_…</c>; else <see langword="null"/>.</summary>
    public static string? BetaOf(string? type)
    {
        if (type is null)
        {
            return null;
        }

        var feature = type.StartsWith("code_execution_", StringComparison.Ordinal) ? "code-execution-"
            : type.StartsWith("web_fetch_", StringComparison.Ordinal) ? "web-fetch-"
            : null;
        var date = feature is null ? default : type.AsSpan(type.LastIndexOf('_') + 1);
        if (feature is null || date.Length != 8 || date.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        return $"{feature}{date[..4]}-{date[4..6]}-{date[6..]}";
    }

    private static void CheckMcp(HostedMcpServerTool mcp)
    {
        if (!HostedTools.IsUrl(mcp.ServerAddress) && HostedTools.Maps(mcp, "url"))
        {
            throw HostedTools.Unexpressible(mcp, Protocol, $"the MCP connector calls servers at an http(s) URL, and '{mcp.ServerAddress}' is none; this protocol has no provider-hosted connectors.");
        }

        HostedTools.BearerToken(mcp.Headers, out var others);
        if (others > 0)
        {
            throw HostedTools.Unexpressible(mcp, Protocol, "the MCP connector sends only a bearer token (an 'Authorization: Bearer …' header) to the server; this protocol sends no other headers.");
        }

        var asks = mcp.ApprovalMode switch
        {
            null or HostedMcpServerToolNeverRequireApprovalMode => false,
            HostedMcpServerToolRequireSpecificApprovalMode specific => specific.AlwaysRequireApprovalToolNames is { Count: > 0 },
            _ => true,
        };
        if (asks)
        {
            throw HostedTools.Unexpressible(mcp, Protocol, "the MCP connector runs tools without asking for approval; this protocol has no approval requests (use HostedMcpServerToolApprovalMode.NeverRequire here).");
        }
    }

    /// <summary>Gets the type a tool's definition will have: its additional properties' <c>type</c>, else the mapped one.</summary>
    private static string? ToolType(AITool tool) =>
        tool.AdditionalProperties.TryGetValue("type", out var value)
            ? value switch
            {
                string s => s,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                _ => null,
            }
            : tool is HostedCodeInterpreterTool ? CodeExecutionType : null;

    private static void AddBeta(List<string> betas, string beta)
    {
        if (!betas.Contains(beta))
        {
            betas.Add(beta);
        }
    }
}
