using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;
using YuHuan.Connector.Tests.Storage;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>A Messages history kept as JSON, beyond what <see cref="Storage.StoredHistoryTests"/> runs on every protocol: a web search's result goes back.</summary>
public sealed class MessagesStoredHistoryTests : EmulatorTestBase
{
    [Fact]
    public async Task GetResponseAsync_MessagesWebSearchHistoryThroughJson_SendsTheResultBack()
    {
        Emulator.Enqueue(new EmulatorReply().AddWebSearch("q", [("https://a", "A", "enc")]).AddText("x"), EmulatorReply.Text("y"), EmulatorReply.Text("y"));
        using var client = CreateClient(o => o.Protocol = YuHuanProtocol.Messages);
        List<ChatMessage> history = [new(ChatRole.User, "Search.")];
        history.AddRange((await client.GetResponseAsync(history)).Messages);
        var restored = StoredHistoryData.RoundTrip(history);

        await client.GetResponseAsync([.. history, new(ChatRole.User, "More.")]);
        await client.GetResponseAsync([.. restored, new(ChatRole.User, "More.")]);

        var fromStore = Emulator.Requests[2];
        Assert.Contains("web_search_tool_result", fromStore.Body, StringComparison.Ordinal);
        Assert.Contains("\"enc\"", fromStore.Body, StringComparison.Ordinal);
        JsonAssert.Equal(Emulator.Requests[1].Body, fromStore.Json);
    }
}
