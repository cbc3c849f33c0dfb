// Streams a story from the YuHuan gateway. Without YUHUAN_API_KEY it starts the local emulator
// and talks to that, so it runs on a machine with no network. YUHUAN_PROTOCOL (or --protocol)
// picks the wire protocol: chat-completions (the default), messages or responses.
// Ctrl+C stops it at once (exit code 130); bad arguments or settings print what to fix (exit code 2).
using Microsoft.Extensions.AI;
using YuHuan.Connector;
using YuHuan.Connector.Testing;

const string Usage = """
    Usage: dotnet run --project samples/Quickstart [-- --protocol NAME]

    Streams a short story. Without YUHUAN_API_KEY it comes from a local emulator (no network needed).

    Options:
      --protocol NAME   chat-completions (the default), messages or responses; overrides YUHUAN_PROTOCOL
      -h, --help        show this text

    Environment:
      YUHUAN_API_KEY    your gateway key; when set, the story comes from the gateway
      YUHUAN_ENDPOINT   the gateway's address (default https://api.yuhuanstudio.com/v1)
      YUHUAN_MODEL      the model (default gpt-4o-mini, or claude-sonnet-4-5 over messages)
      YUHUAN_PROTOCOL   as --protocol
    """;

string? protocolName = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "-h" or "--help" or "-?":
            Console.WriteLine(Usage);
            return 0;
        case "--protocol" when i + 1 < args.Length:
            protocolName = args[++i];
            break;
        case "--protocol":
            return UsageError("--protocol needs a name: chat-completions, messages or responses.");
        default:
            return UsageError($"Unknown argument '{args[i]}'.");
    }
}

var apiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY");
protocolName ??= Environment.GetEnvironmentVariable("YUHUAN_PROTOCOL");
YuHuanProtocol protocol;
try
{
    protocol = string.IsNullOrEmpty(protocolName) ? YuHuanProtocol.ChatCompletions : YuHuanChatClientOptions.ParseProtocol(protocolName);
}
catch (ArgumentException ex)
{
    return UsageError(ex.Message);
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
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            return SettingError($"YUHUAN_ENDPOINT must be an absolute http or https address such as {YuHuanChatClientOptions.DefaultEndpoint}; '{endpoint}' is not.");
        }

        options.Endpoint = address;
    }

    Console.WriteLine($"Talking to {options.Endpoint} with model {options.ModelId} ({protocol})");
}

IChatClient client;
try
{
    client = new YuHuanChatClient(options);
}
catch (ArgumentException ex)
{
    // A setting the client refuses (the message names it and never shows the key).
    return SettingError(ex.ParamName is { } parameter ? ex.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal) : ex.Message);
}

using var disposeClient = client;
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
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    // Ctrl+C: stop at once, print nothing more, and exit as a shell expects of a program stopped by SIGINT.
    Console.ResetColor();
    return 130;
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

static int UsageError(string message)
{
    Console.Error.WriteLine(message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(Usage);
    return 2;
}

static int SettingError(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
