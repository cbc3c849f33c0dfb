// README.md, "Keeping a conversation": a history stored as JSON, and replies kept in a distributed cache.
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using YuHuan.Connector;

namespace ReadmeSnippets;

internal static class StoreAConversation
{
    public static async Task RunAsync()
    {
        // <snippet:store-a-conversation>
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions
        {
            Protocol = YuHuanProtocol.Messages,
            ModelId = "claude-sonnet-4-5",
            ApiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY"),
        });
        var search = new ChatOptions { Tools = [new HostedWebSearchTool()] };

        List<ChatMessage> history = [new(ChatRole.User, "What is new in Paris this week?")];
        history.AddRange((await client.GetResponseAsync(history, search)).Messages);
        var saved = JsonSerializer.Serialize(history, AIJsonUtilities.DefaultOptions);   // to a file, a database, …

        // Later, maybe in another process: the restored history makes the same request the live one would.
        var restored = JsonSerializer.Deserialize<List<ChatMessage>>(saved, AIJsonUtilities.DefaultOptions)!;
        restored.Add(new(ChatRole.User, "And next week?"));
        Console.WriteLine(await client.GetResponseAsync(restored, search));

        // Replies kept in a distributed cache go back as losslessly.
        IDistributedCache cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var cached = client.AsBuilder().UseDistributedCache(cache).Build();
        // </snippet:store-a-conversation>
        Console.WriteLine(await cached.GetResponseAsync(restored, search));
    }
}
