#pragma warning disable MEAI001 // Hosted-tool contents and tool approvals are experimental in Microsoft.Extensions.AI.

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Storage;

/// <summary>
/// The writers read a kept block or item from the content's additional properties, in each shape a store gives it back,
/// and refuse, naming the key, a kept content whose store lost or changed it.
/// </summary>
public sealed class KeptContentTests
{
    private const string Compaction = """{"type":"compaction","id":"cmp_1","encrypted_content":"cmp-secret"}""";

    public static TheoryData<YuHuanProtocol> KeepingProtocols => [YuHuanProtocol.Messages, YuHuanProtocol.Responses];

    [Theory]
    [MemberData(nameof(KeepingProtocols))]
    public void Write_KeptJsonAsElementStringOrNode_SendsTheBlockVerbatimWithoutTheRawRepresentation(YuHuanProtocol protocol)
    {
        var asElement = Kept(protocol, JsonElement.Parse(Compaction));
        var asString = Kept(protocol, Compaction);
        var asJsonString = Kept(protocol, JsonSerializer.SerializeToElement(Compaction, AIJsonUtilities.DefaultOptions));
        var asNode = Kept(protocol, JsonNode.Parse(Compaction)!);

        foreach (var content in new[] { asElement, asString, asJsonString, asNode })
        {
            Assert.Null(content.RawRepresentation);
            var sent = Assert.Single(AssistantTurn(protocol, Write(protocol, content)));
            JsonAssert.Equal(Compaction, sent);
        }
    }

    [Theory]
    [MemberData(nameof(KeepingProtocols))]
    public void Write_KeptContentThatLostItsJson_ThrowsNamingTheKey(YuHuanProtocol protocol)
    {
        var call = new WebSearchToolCallContent("ws_1")
        {
            RawRepresentation = JsonElement.Parse(Compaction),
            AdditionalProperties = new() { [WireItems.ProtocolKey] = Name(protocol) },
        };

        var error = Assert.Throws<ArgumentException>(() => Write(protocol, call));

        Assert.Contains(WireItems.JsonKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(WebSearchToolCallContent), error.Message, StringComparison.Ordinal);
        Assert.Contains("Message 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeepingProtocols))]
    public void Write_KeptJsonThatIsNoObject_ThrowsNamingTheKey(YuHuanProtocol protocol)
    {
        foreach (var value in new object[] { 42, "not json", "[1,2]", JsonElement.Parse("true") })
        {
            var error = Assert.Throws<ArgumentException>(() => Write(protocol, Kept(protocol, value)));

            Assert.Contains(WireItems.JsonKey, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Write_ResponsesResultPartWithoutJson_GoesBackWithItsCall()
    {
        // A hosted tool's result names the protocol but carries no item: the call's item holds it.
        var result = new WebSearchToolResultContent("ws_1") { AdditionalProperties = new() { [WireItems.ProtocolKey] = "Responses" } };

        var body = Write(YuHuanProtocol.Responses, result);

        Assert.Empty(AssistantTurn(YuHuanProtocol.Responses, body));
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

    private static string Name(YuHuanProtocol protocol) => protocol == YuHuanProtocol.Messages ? "Messages" : "Responses";

    private static AIContent Kept(YuHuanProtocol protocol, object json) =>
        new() { AdditionalProperties = new() { [WireItems.ProtocolKey] = Name(protocol), [WireItems.JsonKey] = json } };

    private static JsonElement Write(YuHuanProtocol protocol, AIContent kept)
    {
        var request = new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "Go on."), new ChatMessage(ChatRole.Assistant, [kept]), new ChatMessage(ChatRole.User, "Thanks.")],
            Options = new ChatOptions { AdditionalProperties = new() { ["store"] = false } },
            Model = "m",
        };
        var body = protocol == YuHuanProtocol.Messages ? MessagesRequestWriter.Write(request) : ResponsesRequestWriter.Write(request);
        return JsonElement.Parse(body.Span);
    }

    private static List<JsonElement> AssistantTurn(YuHuanProtocol protocol, JsonElement body) => protocol == YuHuanProtocol.Messages
        ? [.. body.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "assistant").SelectMany(m => m.GetProperty("content").EnumerateArray())]
        : [.. body.GetProperty("input").EnumerateArray().Where(i => i.GetProperty("type").GetString() != "message")];
}
