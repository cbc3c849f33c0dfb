using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Responses;

/// <summary>
/// Writes a <see cref="ToolApprovalResponseContent"/> as the input item that answers an <c>mcp_approval_request</c>:
/// <c>{"type":"mcp_approval_response","approval_request_id","approve","reason"?}</c>, the request id being the
/// <see cref="InputResponseContent.RequestId"/> (the approval request item's id, as the stream mapper gave it to the
/// <see cref="ToolApprovalRequestContent"/>).
/// </summary>
internal static class McpApprovalResponse
{
    /// <summary>Checks an approval response before the body is written.</summary>
    /// <param name="approval">The response.</param>
    /// <param name="index">The position of its message in the history, from 0.</param>
    /// <exception cref="ArgumentException">The response answers the approval of a function call, which the caller's function-invoking layer settles, or has no request id.</exception>
    public static void Check(ToolApprovalResponseContent approval, int index)
    {
        if (approval.ToolCall is FunctionCallContent call)
        {
            throw new ArgumentException(
                $"Message {index} holds a ToolApprovalResponseContent for the function call '{call.Name}' ({call.CallId}); the server asks approval only for MCP server tools, and function approvals are settled by the client's function-invoking layer (FunctionInvokingChatClient), which takes them out of the history.",
                "messages");
        }

        if (string.IsNullOrEmpty(approval.RequestId))
        {
            throw new ArgumentException($"Message {index} holds a ToolApprovalResponseContent without a RequestId; it must name the mcp_approval_request it answers.", "messages");
        }
    }

    /// <summary>Writes the item.</summary>
    public static void Write(Utf8JsonWriter writer, ToolApprovalResponseContent approval)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "mcp_approval_response"u8);
        writer.WriteString("approval_request_id"u8, approval.RequestId);
        writer.WriteBoolean("approve"u8, approval.Approved);
        if (approval.Reason is { Length: > 0 } reason)
        {
            writer.WriteString("reason"u8, reason);
        }

        writer.WriteEndObject();
    }
}
