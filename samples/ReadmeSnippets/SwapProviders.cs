// README.md, "Swap providers behind IChatClient".
using Microsoft.Extensions.AI;
using YuHuan.Connector;

namespace ReadmeSnippets;

internal static class SwapProviders
{
    public static async Task RunAsync(bool useYuHuan, string key, IChatClient otherProviderClient)
    {
        // <snippet:swap-providers>
        IChatClient client = useYuHuan
            ? new YuHuanChatClient(new YuHuanChatClientOptions { ApiKey = key, ModelId = "gpt-4o-mini" })
            : otherProviderClient;   // any other IChatClient

        var answer = await client.GetResponseAsync("Summarize this paragraph: …");
        // </snippet:swap-providers>
        Console.WriteLine(answer.Text);
    }
}
