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
    /// <param name="requests">
    /// The ids of the <c>mcp_approval_request</c> items the input holds before the response, when the response must name one
    /// of them (a request the server does not store, continuing nothing); <see langword="null"/> when the server can find the request itself.
    /// </param>
    /// <exception cref="ArgumentException">The response answers the approval of a function call, which the caller's function-invoking layer settles, has no request id, or names a request the input must hold but does not.</exception>
    public static void Check(ToolApprovalResponseContent approval, int index, IReadOnlySet<string>? requests)
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

        if (requests is not null && !requests.Contains(approval.RequestId))
        {
            throw new ArgumentException(
                $"Message {index} holds a ToolApprovalResponseContent answering '{approval.RequestId}', but no mcp_approval_request item of that id comes before it in the history. With store false the server keeps nothing, so the request goes back with its answer: keep the assistant message holding the ToolApprovalRequestContent, with its AdditionalProperties, in the history.",
                "messages");
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
