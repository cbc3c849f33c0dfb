using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>
/// Case 6: request building. A 40-message history with 20 tools is sent by each client through a handler
/// that reads the whole request body and answers with a tiny canned completion, so both pay the same
/// transport cost and the difference is message conversion plus JSON writing. A second pair of rows sends a
/// three-message history with one tool round and no tools, where a per-request buffer allocation would stand out.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("ChatCompletions", "Request")]
public class ChatCompletionsRequestBuilding
{
    private static readonly byte[] CannedResponse = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-req","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1200,"completion_tokens":1,"total_tokens":1201}}""");

    private RequestCaptureHandler? _handler;
    private IChatClient? _ours;
    private IChatClient? _openAI;
    private List<ChatMessage> _messages = [];
    private ChatOptions _options = new();
    private List<ChatMessage> _toolRound = [];
    private ChatOptions _toolRoundOptions = new();

    /// <summary>Builds the history, the tools and the clients, and checks each client's request body once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _messages = RequestHistory.CreateMessages();
        _options = RequestHistory.CreateOptions();
        _toolRound = RequestHistory.CreateToolRound();
        _toolRoundOptions = RequestHistory.CreateToolRoundOptions();
        _handler = new RequestCaptureHandler(CannedResponse);
        _ours = Clients.YuHuan(_handler, Clients.InMemoryEndpoint, YuHuanProtocol.ChatCompletions);
        _openAI = ChatCompletionsCompetitor.Create(_handler, Clients.InMemoryEndpoint);
        Verify("YuHuan", _ours, _messages, _options);
        Verify("Microsoft.Extensions.AI.OpenAI", _openAI, _messages, _options);
        Verify("YuHuan (tool round)", _ours, _toolRound, _toolRoundOptions);
        Verify("Microsoft.Extensions.AI.OpenAI (tool round)", _openAI, _toolRound, _toolRoundOptions);
    }

    /// <summary>Releases the clients.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _openAI?.Dispose();
        _handler?.Dispose();
    }

    /// <summary>Our client.</summary>
    [Benchmark(Baseline = true, Description = "YuHuan")]
    public Task<ChatResponse> YuHuan() => _ours!.GetResponseAsync(_messages, _options);

    /// <summary><c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Chat.ChatClient</c>.</summary>
    [Benchmark(Description = "MEAI.OpenAI")]
    public Task<ChatResponse> OpenAI() => _openAI!.GetResponseAsync(_messages, _options);

    /// <summary>Our client, with the short tool-round history.</summary>
    [Benchmark(Description = "YuHuan, one tool round")]
    public Task<ChatResponse> YuHuanToolRound() => _ours!.GetResponseAsync(_toolRound, _toolRoundOptions);

    /// <summary><c>Microsoft.Extensions.AI.OpenAI</c>, with the short tool-round history.</summary>
    [Benchmark(Description = "MEAI.OpenAI, one tool round")]
    public Task<ChatResponse> OpenAIToolRound() => _openAI!.GetResponseAsync(_toolRound, _toolRoundOptions);

    private void Verify(string name, IChatClient client, List<ChatMessage> history, ChatOptions options)
    {
        var handler = _handler!;
        handler.Capture = true;
        var response = client.GetResponseAsync(history, options).GetAwaiter().GetResult();
        handler.Capture = false;
        var problems = new List<string>();
        if (response.Text != "ok")
        {
            problems.Add($"the canned answer read as '{response.Text}'");
        }

        using var body = JsonDocument.Parse(handler.LastBody ?? []);
        var root = body.RootElement;
        var messages = root.GetProperty("messages");
        if (messages.GetArrayLength() != history.Count)
        {
            problems.Add($"{messages.GetArrayLength()} messages instead of {history.Count}");
        }

        for (var i = 0; i < Math.Min(messages.GetArrayLength(), history.Count); i++)
        {
            var role = messages[i].GetProperty("role").GetString();
            if (role != history[i].Role.Value)
            {
                problems.Add($"message {i} has role {role} instead of {history[i].Role.Value}");
            }

            var calls = history[i].Contents.OfType<FunctionCallContent>().ToList();
            if (calls.Count > 0)
            {
                var written = messages[i].GetProperty("tool_calls");
                for (var c = 0; c < calls.Count; c++)
                {
                    var function = written[c].GetProperty("function");
                    using var arguments = JsonDocument.Parse(function.GetProperty("arguments").GetString()!);
                    foreach (var (key, value) in calls[c].Arguments!)
                    {
                        if (!arguments.RootElement.TryGetProperty(key, out var writtenValue) || !StreamVerifier.ArgumentEquals(value, writtenValue))
                        {
                            problems.Add($"message {i} call {c} argument '{key}' differs");
                        }
                    }
                }
            }
        }

        var declared = options.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        var tools = root.TryGetProperty("tools", out var toolsArray) ? toolsArray : default;
        var toolCount = tools.ValueKind == JsonValueKind.Array ? tools.GetArrayLength() : 0;
        if (toolCount != declared.Count)
        {
            problems.Add($"{toolCount} tools instead of {declared.Count}");
        }

        for (var i = 0; i < Math.Min(toolCount, declared.Count); i++)
        {
            var function = tools[i].GetProperty("function");
            if (function.GetProperty("name").GetString() != declared[i].Name
                || !JsonElement.DeepEquals(function.GetProperty("parameters"), declared[i].JsonSchema))
            {
                problems.Add($"tool {i} differs from its declaration");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{name} wrote a wrong request: {string.Join("; ", problems)}.");
        }
    }
}
