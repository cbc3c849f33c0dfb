#pragma warning disable MEAI001 // Hosted-tool contents and tool approvals are experimental in Microsoft.Extensions.AI.

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
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

    /// <summary>Gets the protocols that keep blocks or items the client has no content for.</summary>
    public static TheoryData<YuHuanProtocol> KeepingProtocols => TestProtocols.Where(kit => kit.HostsTools);

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
            var sent = Assert.Single(TestProtocols.Kit(protocol).SentAssistantTurn(Write(protocol, content)));
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

    private static string Name(YuHuanProtocol protocol) => TestProtocols.Kit(protocol).Name;

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
        return TestProtocols.Kit(protocol).WriteRequest(request);
    }
}
