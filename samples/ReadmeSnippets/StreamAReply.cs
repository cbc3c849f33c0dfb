// README.md, "Stream a reply"; src/Connector/README.md.
// <snippet:stream-a-reply>
using Microsoft.Extensions.AI;
using YuHuan.Connector;

// </snippet:stream-a-reply>
namespace ReadmeSnippets;

internal static class StreamAReply
{
    public static async Task RunAsync()
    {
        // <snippet:stream-a-reply>
        var options = new YuHuanChatClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY"),
            ModelId = "deepseek-reasoner",
        };
        using IChatClient client = new YuHuanChatClient(options);

        var thinking = false;
        await foreach (var update in client.GetStreamingResponseAsync("Tell me a story."))
        {
            foreach (var content in update.Contents)
            {
                if (content is TextReasoningContent reasoning)
                {
                    if (!thinking)
                    {
                        Console.Write("[thinking] ");   // once, before the first piece of reasoning
                        thinking = true;
                    }

                    Console.Write(reasoning.Text);
                }
                else if (content is TextContent { Text.Length: > 0 } text)
                {
                    if (thinking)
                    {
                        Console.WriteLine();            // the answer starts on a line of its own
                        thinking = false;
                    }

                    Console.Write(text.Text);
                }
            }
        }

        Console.WriteLine();
        // </snippet:stream-a-reply>
    }
}
