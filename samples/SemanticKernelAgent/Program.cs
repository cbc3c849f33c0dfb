// A multi-turn weather assistant on Semantic Kernel: first the classic kernel loop (IChatCompletionService with a
// ChatHistory), then a ChatClientAgent (Microsoft Agent Framework), both calling a kernel plugin and streaming their
// answers. The agent carries on the kernel loop's conversation in one session. Without YUHUAN_API_KEY it starts the
// local emulator and scripts the model, so it runs with no network. It exits non-zero when the model did not call the
// plugin (or, offline, when a question went out without the turns before it).
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector;
using YuHuan.Connector.Testing;
using AITextContent = Microsoft.Extensions.AI.TextContent;
using KernelFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

var apiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY");
var modelId = Environment.GetEnvironmentVariable("YUHUAN_MODEL") is { Length: > 0 } model ? model : "gpt-4o-mini";
var endpoint = Environment.GetEnvironmentVariable("YUHUAN_ENDPOINT") is { Length: > 0 } address ? new Uri(address) : null;

await using var emulator = string.IsNullOrEmpty(apiKey) ? await YuHuanEmulator.StartAsync() : null;
if (emulator is not null)
{
    endpoint = emulator.Endpoint;
    EmulatorScript.Enqueue(emulator);
    Console.WriteLine($"YUHUAN_API_KEY is not set: talking to the local emulator at {emulator.Endpoint}");
}
else
{
    Console.WriteLine($"Talking to {endpoint ?? YuHuanChatClientOptions.DefaultEndpoint} with model {modelId}");
}

// One kernel, registered both ways: the IChatCompletionService for the kernel loop, the IChatClient for the agent.
var builder = Kernel.CreateBuilder()
    .AddYuHuanChatCompletion(modelId, apiKey, endpoint)
    .AddYuHuanKernelChatClient(modelId, apiKey, endpoint);
var weather = new WeatherPlugin();
builder.Plugins.AddFromObject(weather, "Weather");
builder.Services.AddSingleton<IAutoFunctionInvocationFilter, ToolCallPrinter>();
var kernel = builder.Build();

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// The model may call the kernel's functions; the kernel runs them (through its filters) and sends the results back.
var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

try
{
    ConsoleRenderer.Heading("Kernel loop: IChatCompletionService + ChatHistory");
    var chat = kernel.GetRequiredService<IChatCompletionService>();
    var history = new ChatHistory("You are a concise weather assistant. Use the Weather plugin for forecasts.");
    foreach (var question in new[] { Questions.ParisAndTokyo, Questions.Umbrella })
    {
        ConsoleRenderer.User(question);
        history.AddUserMessage(question);
        var answer = new System.Text.StringBuilder();
        UsageDetails? usage = null;
        await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel, cancellation.Token))
        {
            if (chunk.Role == AuthorRole.Tool && chunk.InnerContent is KernelFunctionResultContent result)
            {
                ConsoleRenderer.Note($"[tool result] {result.Result}");
                continue;
            }

            foreach (var reasoning in chunk.Items.OfType<StreamingReasoningContent>())
            {
                ConsoleRenderer.Reasoning(reasoning.Text);
            }

            ConsoleRenderer.Text(chunk.Content ?? string.Empty);
            answer.Append(chunk.Content);
            if (chunk.Metadata?.GetValueOrDefault("Usage") is UsageDetails used)
            {
                // One usage per model call: a turn with tool calls makes several.
                (usage ??= new UsageDetails()).Add(used);
            }
        }

        // The service added the call and result messages to the history; the answer is ours to add.
        history.AddAssistantMessage(answer.ToString());
        ConsoleRenderer.EndTurn(usage);
    }

    if (weather.Cities.Count == 0)
    {
        return Fail("The Weather plugin was not called in the kernel loop: the model asked for no function, or for one the kernel does not have (it is offered as Weather_GetForecast).");
    }

    ConsoleRenderer.Heading("Agent: ChatClientAgent over the YuHuan IChatClient");
    var callsBefore = weather.Cities.Count;

    // ToChatOptions hands the agent the kernel's functions as tools and the kernel itself, so the tool calls run
    // through the kernel's filters here too.
    var agentOptions = settings.ToChatOptions(kernel)!;
    agentOptions.Instructions = "You are a concise weather assistant. Use the Weather plugin for forecasts.";
    var agent = new ChatClientAgent(kernel.GetRequiredService<IChatClient>(), new ChatClientAgentOptions { Name = "Forecaster", ChatOptions = agentOptions });

    // One session for the agent's turns, opened with the conversation so far: "And what about Reykjavik?" only makes
    // sense after the Paris and Tokyo turn. The agent has its own instructions, so the kernel loop's system message
    // stays behind; the session then keeps each turn (calls and results included) for the next. ToYuHuanChatMessage
    // (not Semantic Kernel's ToChatMessage) keeps the reasoning, with its signature, and the calls' Weather_GetForecast.
    var session = await agent.CreateSessionAsync(cancellation.Token);
    var earlier = history.Where(m => m.Role != AuthorRole.System).Select(m => m.ToYuHuanChatMessage()).ToList();
    foreach (var question in new[] { Questions.Reykjavik, Questions.SumUp })
    {
        ConsoleRenderer.User(question);
        UsageDetails? usage = null;
        List<ChatMessage> messages = [.. earlier, new ChatMessage(ChatRole.User, question)];
        earlier.Clear();
        await foreach (var update in agent.RunStreamingAsync(messages, session, cancellationToken: cancellation.Token))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextReasoningContent reasoning:
                        ConsoleRenderer.Reasoning(reasoning.Text);
                        break;
                    case AITextContent text:
                        ConsoleRenderer.Text(text.Text);
                        break;
                    case Microsoft.Extensions.AI.FunctionResultContent result:
                        ConsoleRenderer.Note($"[tool result] {result.Result}");
                        break;
                    case UsageContent used:
                        (usage ??= new UsageDetails()).Add(used.Details);
                        break;
                }
            }
        }

        ConsoleRenderer.EndTurn(usage);
    }

    if (weather.Cities.Count == callsBefore)
    {
        return Fail("The Weather plugin was not called by the agent: the model asked for no function, or for one the kernel does not have (it is offered as Weather_GetForecast).");
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
    return Fail($"The gateway failed: {ex.Message}");
}

if (emulator is not null && EmulatorScript.FindMissingHistory(emulator.Requests) is { } missing)
{
    return Fail($"The conversation was not kept across turns. {missing}");
}

return 0;

static int Fail(string message)
{
    Console.ResetColor();
    Console.Error.WriteLine();
    Console.Error.WriteLine(message);
    return 1;
}
