#pragma warning disable MEAI001 // Hosted-tool contents and tool approvals are experimental in Microsoft.Extensions.AI.

using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>The Responses writer and kept contents beyond what <see cref="Storage.KeptContentTests"/> runs on every protocol that keeps them: result parts and stateless approvals.</summary>
public sealed class ResponsesKeptContentTests
{
    [Fact]
    public void Write_ResponsesResultPartWithoutJson_GoesBackWithItsCall()
    {
        // A hosted tool's result names the protocol but carries no item: the call's item holds it.
        var result = new WebSearchToolResultContent("ws_1") { AdditionalProperties = new() { [WireItems.ProtocolKey] = "Responses" } };

        var body = Write(result);

        Assert.Empty(AssistantTurn(body));
    }

    [Fact]
    public void Write_StatelessApprovalWithoutItsRequestItem_ThrowsNamingTheRequest()
    {
        var approval = new ToolApprovalResponseContent("mcpr_9", true, new McpServerToolCallContent("mcpr_9", "delete_page", "docs"));
        List<ChatMessage> messages = [new(ChatRole.User, "Delete page 7."), new(ChatRole.Assistant, "Asking."), new(ChatRole.User, [approval])];
        var stateless = new ChatOptions { AdditionalProperties = new() { ["store"] = false } };

        var error = Assert.Throws<ArgumentException>(() => ResponsesRequestWriter.Write(new ChatRequest { Messages = messages, Options = stateless, Model = "m" }));

        Assert.Contains("mcpr_9", error.Message, StringComparison.Ordinal);
        Assert.Contains("mcp_approval_request", error.Message, StringComparison.Ordinal);

        // A stored request, or one that continues a response, lets the server find the request itself.
        ResponsesRequestWriter.Write(new ChatRequest { Messages = messages, Model = "m" });
        stateless.ConversationId = "resp_1";
        ResponsesRequestWriter.Write(new ChatRequest { Messages = messages, Options = stateless, Model = "m" });
    }

    private static JsonElement Write(AIContent kept)
    {
        var request = new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "Go on."), new ChatMessage(ChatRole.Assistant, [kept]), new ChatMessage(ChatRole.User, "Thanks.")],
            Options = new ChatOptions { AdditionalProperties = new() { ["store"] = false } },
            Model = "m",
        };
        return JsonElement.Parse(ResponsesRequestWriter.Write(request).Span);
    }

    /// <summary>The input items that are no messages: those the assistant's turn sent back.</summary>
    private static List<JsonElement> AssistantTurn(JsonElement body) =>
        [.. body.GetProperty("input").EnumerateArray().Where(i => i.GetProperty("type").GetString() != "message")];
}
