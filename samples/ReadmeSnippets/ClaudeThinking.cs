// README.md, "Thinking on Claude models".
using Microsoft.Extensions.AI;
using YuHuan.Connector;

namespace ReadmeSnippets;

internal static class ClaudeThinking
{
    public static async Task RunAsync(string key)
    {
        // <snippet:claude-thinking>
        // Current models (Claude 4.6 and later): adaptive thinking, effort in output_config.
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions
        {
            ApiKey = key,
            ModelId = "claude-opus-4-7",
            Protocol = YuHuanProtocol.Messages,
        });
        var options = new ChatOptions { Reasoning = new() { Effort = ReasoningEffort.High, Output = ReasoningOutput.Summary } };
        var answer = await client.GetResponseAsync("Plan a three-day trip to Kyoto.", options);

        // Older models take a thinking budget instead: set it for the client...
        using var older = new YuHuanChatClient(new YuHuanChatClientOptions
        {
            ApiKey = key,
            ModelId = "claude-sonnet-4-5",
            Protocol = YuHuanProtocol.Messages,
            UseThinkingBudget = true,   // Effort.High → {"type":"enabled","budget_tokens":16384}
        });

        // ...or give your own thinking for one request: it wins over ChatOptions.Reasoning.
        var own = new ChatOptions
        {
            AdditionalProperties = new() { ["thinking"] = new Dictionary<string, object?> { ["type"] = "enabled", ["budget_tokens"] = 2048 } },
        };
        var olderAnswer = await older.GetResponseAsync("Plan a three-day trip to Kyoto.", own);
        // </snippet:claude-thinking>
        Console.WriteLine(answer.Text + olderAnswer.Text);
    }
}
