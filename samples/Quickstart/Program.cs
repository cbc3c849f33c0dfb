// Streams a story from the YuHuan gateway. Without YUHUAN_API_KEY it starts the local emulator
// and talks to that, so it runs on a machine with no network. YUHUAN_PROTOCOL (or --protocol)
// picks the wire protocol: chat-completions (the default), messages or responses.
using Microsoft.Extensions.AI;
using YuHuan.Connector;
using YuHuan.Connector.Testing;

var apiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY");
var protocolName = args.SkipWhile(a => a != "--protocol").Skip(1).FirstOrDefault() ?? Environment.GetEnvironmentVariable("YUHUAN_PROTOCOL");
YuHuanProtocol protocol;
switch (protocolName?.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant())
{
    case null or "" or "CHATCOMPLETIONS":
        protocol = YuHuanProtocol.ChatCompletions;
        break;
    case "MESSAGES":
        protocol = YuHuanProtocol.Messages;
        break;
    case "RESPONSES":
        protocol = YuHuanProtocol.Responses;
        break;
    default:
        Console.Error.WriteLine($"Unknown protocol '{protocolName}': use chat-completions, messages or responses.");
        return 2;
}

var defaultModel = protocol == YuHuanProtocol.Messages ? "claude-sonnet-4-5" : "gpt-4o-mini";
var options = new YuHuanChatClientOptions
{
    Protocol = protocol,
    ModelId = Environment.GetEnvironmentVariable("YUHUAN_MODEL") is { Length: > 0 } model ? model : defaultModel,
};

await using var emulator = string.IsNullOrEmpty(apiKey) ? await YuHuanEmulator.StartAsync() : null;
if (emulator is not null)
{
    // The emulator's canned story, a few words at a time at a reading pace, as a model would stream it.
    emulator.DefaultReply = EmulatorReply.Story().WithDelayBetweenEvents(TimeSpan.FromMilliseconds(40));
    options.Endpoint = emulator.Endpoint;
    Console.WriteLine($"YUHUAN_API_KEY is not set: talking to the local emulator at {emulator.Endpoint} ({protocol})");
}
else
{
    options.ApiKey = apiKey;
    if (Environment.GetEnvironmentVariable("YUHUAN_ENDPOINT") is { Length: > 0 } endpoint)
    {
        options.Endpoint = new Uri(endpoint);
    }

    Console.WriteLine($"Talking to {options.Endpoint} with model {options.ModelId} ({protocol})");
}

using IChatClient client = new YuHuanChatClient(options);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var inReasoning = false;
UsageDetails? usage = null;
try
{
    await foreach (var update in client.GetStreamingResponseAsync("Tell me a short story about a lighthouse.", cancellationToken: cancellation.Token))
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextReasoningContent reasoning:
                    if (!inReasoning)
                    {
                        Console.ForegroundColor = ConsoleColor.DarkGray;
                        Console.Write("[thinking] ");
                        inReasoning = true;
                    }

                    Console.Write(reasoning.Text);
                    break;
                case TextContent text:
                    if (inReasoning)
                    {
                        Console.ResetColor();
                        Console.WriteLine();
                        Console.WriteLine();
                        inReasoning = false;
                    }

                    Console.Write(text.Text);
                    break;
                case UsageContent u:
                    usage = u.Details;
                    break;
            }
        }
    }
}
catch (YuHuanApiException ex)
{
    Console.ResetColor();
    Console.Error.WriteLine();
    Console.Error.WriteLine($"The gateway failed: {ex.Message}");
    return 1;
}

Console.ResetColor();
Console.WriteLine();
if (usage is not null)
{
    Console.WriteLine($"[usage] input {usage.InputTokenCount}, output {usage.OutputTokenCount} (reasoning {usage.ReasoningTokenCount ?? 0}), total {usage.TotalTokenCount}");
}

return 0;
