namespace YuHuan.Connector.Testing;

/// <summary>A scripted call of a tool on a remote MCP server, made by the model's server, or a request to approve one.</summary>
/// <param name="Server">The label (name) of the MCP server.</param>
/// <param name="Tool">The tool name.</param>
/// <param name="ArgumentsJson">The arguments, a JSON object as text.</param>
/// <param name="ResultText">The tool's output, or <see langword="null"/> when there is none (an approval request, or a call without result).</param>
/// <param name="IsError">Whether the output is an error the tool reported.</param>
internal sealed record ReplyMcpCall(string Server, string Tool, string ArgumentsJson, string? ResultText, bool IsError);
