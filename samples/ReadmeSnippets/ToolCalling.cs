// README.md, "Tool calling".
using Microsoft.Extensions.AI;
using YuHuan.Connector;

namespace ReadmeSnippets;

internal static class ToolCalling
{
    public static async Task RunAsync(YuHuanChatClientOptions options)
    {
        // <snippet:tool-calling>
        var weather = AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather", "Gets the weather.");

        using IChatClient client = new ChatClientBuilder(new YuHuanChatClient(options))
            .UseFunctionInvocation()
            .Build();

        var response = await client.GetResponseAsync("Weather in Paris?", new ChatOptions { Tools = [weather] });
        Console.WriteLine(response.Text);
        // </snippet:tool-calling>
    }
}
