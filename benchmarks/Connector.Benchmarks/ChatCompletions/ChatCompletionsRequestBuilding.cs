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
/// transport cost and the difference is message conversion plus JSON writing.
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

    /// <summary>Builds the history, the tools and the clients, and checks each client's request body once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _messages = RequestHistory.CreateMessages();
        _options = RequestHistory.CreateOptions();
        _handler = new RequestCaptureHandler(CannedResponse);
        _ours = Clients.YuHuan(_handler, Clients.InMemoryEndpoint, YuHuanProtocol.ChatCompletions);
        _openAI = Clients.OpenAIChatCompletions(_handler, Clients.InMemoryEndpoint);
        Verify("YuHuan", _ours);
        Verify("Microsoft.Extensions.AI.OpenAI", _openAI);
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

    private void Verify(string name, IChatClient client)
    {
        var handler = _handler!;
        handler.Capture = true;
        var response = client.GetResponseAsync(_messages, _options).GetAwaiter().GetResult();
        handler.Capture = false;
        var problems = new List<string>();
        if (response.Text != "ok")
        {
            problems.Add($"the canned answer read as '{response.Text}'");
        }

        using var body = JsonDocument.Parse(handler.LastBody ?? []);
        var root = body.RootElement;
        var messages = root.GetProperty("messages");
        if (messages.GetArrayLength() != RequestHistory.MessageCount)
        {
            problems.Add($"{messages.GetArrayLength()} messages instead of {RequestHistory.MessageCount}");
        }

        for (var i = 0; i < Math.Min(messages.GetArrayLength(), _messages.Count); i++)
        {
            var role = messages[i].GetProperty("role").GetString();
            if (role != _messages[i].Role.Value)
            {
                problems.Add($"message {i} has role {role} instead of {_messages[i].Role.Value}");
            }

            var calls = _messages[i].Contents.OfType<FunctionCallContent>().ToList();
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

        var tools = root.GetProperty("tools");
        if (tools.GetArrayLength() != RequestHistory.ToolCount)
        {
            problems.Add($"{tools.GetArrayLength()} tools instead of {RequestHistory.ToolCount}");
        }

        var declared = _options.Tools!.OfType<AIFunctionDeclaration>().ToList();
        for (var i = 0; i < Math.Min(tools.GetArrayLength(), declared.Count); i++)
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
