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
            foreach (var protocol in TestProtocols.Protocols)
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
        var wire = TestProtocols.Kit(protocol);
        var options = wire.Stateless();
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
        var carried = wire.TypesIn(fromLive);
        Assert.All(wire.RichReplyCarriedBack, type => Assert.Contains(type, carried));
        Assert.All(wire.RichReplyMarks, mark => Assert.Contains(mark, fromLive.GetRawText(), StringComparison.Ordinal));
        JsonAssert.Equal(fromLive.GetRawText(), fromStore);
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
