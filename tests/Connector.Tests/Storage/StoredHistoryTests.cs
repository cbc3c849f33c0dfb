using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Storage;

/// <summary>
/// A conversation kept the way apps keep one between turns (JSON with <see cref="AIJsonUtilities.DefaultOptions"/>,
/// <c>UseDistributedCache</c>) must make the same next request as the live history: every block, item, signature,
/// encrypted content and citation the next turn needs lives in members that serialize, never only in
/// <see cref="AIContent.RawRepresentation"/>.
/// </summary>
public sealed class StoredHistoryTests : EmulatorTestBase
{
    private const string Question = "Search, compute, call and look it up.";

    public static TheoryData<YuHuanProtocol, bool, HistoryStore> EveryStore
    {
        get
        {
            var data = new TheoryData<YuHuanProtocol, bool, HistoryStore>();
            foreach (var protocol in LandedProtocols.Protocols)
            {
                foreach (var store in Enum.GetValues<HistoryStore>())
                {
                    data.Add(protocol, true, store);
                    data.Add(protocol, false, store);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EveryStore))]
    public async Task GetResponseAsync_HistoryFromAStore_SendsTheSameNextRequestAsTheLiveHistory(YuHuanProtocol protocol, bool streaming, HistoryStore store)
    {
        Emulator.Enqueue(StoredHistoryData.RichReply(protocol), EmulatorReply.Text("You are welcome."), EmulatorReply.Text("You are welcome."));
        using var client = CreateClient(o => o.Protocol = protocol);
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var cached = client.AsBuilder().UseDistributedCache(cache).Build();
        var options = StoredHistoryData.Options(protocol);
        List<ChatMessage> question = [new(ChatRole.User, Question)];

        var live = await GetAsync(cached, streaming, question, options);
        List<ChatMessage> restored;
        if (store == HistoryStore.Json)
        {
            restored = StoredHistoryData.RoundTrip([.. question, .. live.Messages]);
        }
        else
        {
            var hit = await GetAsync(cached, streaming, [new(ChatRole.User, Question)], options);
            Assert.Single(Emulator.Requests);
            restored = [.. question, .. hit.Messages];
        }

        await GetAsync(client, streaming, StoredHistoryData.NextTurn([.. question, .. live.Messages]), options);
        await GetAsync(client, streaming, StoredHistoryData.NextTurn(restored), options);

        Assert.Equal(3, Emulator.Requests.Count);
        var fromLive = Emulator.Requests[1].Json;
        var fromStore = Emulator.Requests[2].Json;
        var carried = StoredHistoryData.TypesIn(protocol, fromLive);
        Assert.All(StoredHistoryData.CarriedBack(protocol), type => Assert.Contains(type, carried));
        Assert.All(StoredHistoryData.MarksCarriedBack(protocol), mark => Assert.Contains(mark, fromLive.GetRawText(), StringComparison.Ordinal));
        JsonAssert.Equal(fromLive.GetRawText(), fromStore);
    }

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_ApprovalAfterJson_SendsTheRequestItemTheResponseNames(bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddMcpApprovalRequest("mcpr_1", "docs", "delete_page", """{"page":7}"""), EmulatorReply.Text("Deleted."), EmulatorReply.Text("Deleted."));
        using var client = CreateClient(o => o.Protocol = YuHuanProtocol.Responses);
        var options = StoredHistoryData.Options(YuHuanProtocol.Responses);
        List<ChatMessage> history = [new(ChatRole.User, "Delete page 7.")];
        history.AddRange((await GetAsync(client, streaming, history, options)).Messages);

        await GetAsync(client, streaming, StoredHistoryData.NextTurn(StoredHistoryData.RoundTrip(history)), options);
        await GetAsync(client, streaming, StoredHistoryData.NextTurn(history), options);

        JsonAssert.Equal(Emulator.Requests[2].Body, Emulator.Requests[1].Json);
        var input = Emulator.Requests[1].Json.GetProperty("input").EnumerateArray().ToList();
        var request = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_request");
        var approval = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_response");
        Assert.Equal("mcpr_1", request.GetProperty("id").GetString());
        Assert.Equal("mcpr_1", approval.GetProperty("approval_request_id").GetString());
        Assert.True(input.IndexOf(request) < input.IndexOf(approval), "the approval follows its request");
    }

    private static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, IList<ChatMessage> messages, ChatOptions options)
    {
        if (!streaming)
        {
            return await client.GetResponseAsync(messages, options);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }
}
