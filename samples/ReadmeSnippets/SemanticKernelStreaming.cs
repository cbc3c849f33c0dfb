// README.md, "Semantic Kernel"; src/Connector.SemanticKernel/README.md.
// <snippet:semantic-kernel>
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

#pragma warning disable SKEXP0110 // Semantic Kernel marks StreamingReasoningContent experimental
// </snippet:semantic-kernel>

namespace ReadmeSnippets;

internal static class SemanticKernelStreaming
{
    public static async Task RunAsync()
    {
        // <snippet:semantic-kernel>
        var builder = Kernel.CreateBuilder()
            .AddYuHuanChatCompletion("deepseek-chat", Environment.GetEnvironmentVariable("YUHUAN_API_KEY"));
        builder.Plugins.AddFromType<WeatherPlugin>("Weather");
        var kernel = builder.Build();

        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var thinking = false;
        await foreach (var chunk in kernel.InvokePromptStreamingAsync<StreamingChatMessageContent>(
            "Weather in Paris and Tokyo?", new KernelArguments(settings)))
        {
            foreach (var thought in chunk.Items.OfType<StreamingReasoningContent>())
            {
                if (!thinking)
                {
                    Console.Write("[thinking] ");   // once per run of reasoning
                    thinking = true;
                }

                Console.Write(thought.Text);
            }

            // A plugin's result (Role Tool, no text) or the answer's first text ends the reasoning's line.
            if (thinking && (chunk.Role == AuthorRole.Tool || !string.IsNullOrEmpty(chunk.Content)))
            {
                Console.WriteLine();
                thinking = false;
            }

            Console.Write(chunk.Content);
        }

        Console.WriteLine();
        // </snippet:semantic-kernel>
    }
}
