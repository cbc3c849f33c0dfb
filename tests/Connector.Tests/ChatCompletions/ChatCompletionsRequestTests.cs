using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>The exact request bodies the client writes.</summary>
public sealed class ChatCompletionsRequestTests
{
    private const string Done = "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

    [Fact]
    public async Task GetStreamingResponseAsync_EveryMappedOption_WritesExactBody()
    {
        var handler = new ReplayHandler(Done);
        using var client = handler.CreateClient();
        var weather = AIFunctionFactory.Create(([Description("The city")] string city) => "sunny", "get_weather", "Gets the weather.");
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, [new TextContent("What is in this picture, and the weather?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png"), new UriContent("https://example.test/cat.jpg", "image/jpeg")]),
            new(ChatRole.Assistant, [new TextReasoningContent("The user wants two things."), new TextContent("Let me check."), new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny, 21 °C")]),
        };
        var options = new ChatOptions
        {
            ModelId = "deepseek-reasoner",
            Instructions = "You are a helpful assistant.",
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 256,
            StopSequences = ["END"],
            Seed = 7,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            Tools = [weather],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AllowMultipleToolCalls = false,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}""").RootElement, "answer", "The answer."),
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High },
            AdditionalProperties = new() { ["user"] = "u-42", ["metadata"] = new Dictionary<string, object?> { ["tier"] = "gold" } },
        };

        await foreach (var _ in client.GetStreamingResponseAsync(messages, options))
        {
        }

        var expected = """
        {
          "model": "deepseek-reasoner",
          "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [
              {"type": "text", "text": "What is in this picture, and the weather?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,AQID"}},
              {"type": "image_url", "image_url": {"url": "https://example.test/cat.jpg"}}
            ]},
            {"role": "assistant", "content": "Let me check.", "reasoning_content": "The user wants two things.",
             "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "sunny, 21 °C"}
          ],
          "stream": true,
          "stream_options": {"include_usage": true},
          "temperature": 0.5,
          "top_p": 0.9,
          "top_k": 40,
          "max_tokens": 256,
          "stop": ["END"],
          "seed": 7,
          "frequency_penalty": 0.1,
          "presence_penalty": 0.2,
          "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Gets the weather.", "parameters": SCHEMA}}],
          "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
          "parallel_tool_calls": false,
          "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "description": "The answer.", "schema": {"type":"object","properties":{"answer":{"type":"string"}}}}},
          "reasoning_effort": "high",
          "user": "u-42",
          "metadata": {"tier": "gold"}
        }
        """.Replace("SCHEMA", weather.JsonSchema.GetRawText(), StringComparison.Ordinal);
        JsonAssert.BodyEqual(expected, Assert.Single(handler.RequestBodies));
        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:1/v1/chat/completions", request.RequestUri!.ToString());
        Assert.Equal("Bearer sk-test-key", request.Headers.Authorization!.ToString());
        Assert.Equal("text/event-stream", Assert.Single(request.Headers.Accept).MediaType);
    }

    [Fact]
    public async Task GetResponseAsync_MinimalRequest_NoStreamFieldsAndDefaultModel()
    {
        var handler = new ReplayHandler("""{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}""", "application/json");
        using var client = handler.CreateClient();

        // A tool mode without tools is left out: servers refuse tool_choice when no tools are sent.
        await client.GetResponseAsync("Hello", new ChatOptions { ToolMode = ChatToolMode.Auto, ResponseFormat = ChatResponseFormat.Json });

        JsonAssert.BodyEqual(
            """{"model":"test-model","messages":[{"role":"user","content":"Hello"}],"stream":false,"response_format":{"type":"json_object"}}""",
            Assert.Single(handler.RequestBodies));
    }

    [Fact]
    public async Task GetResponseAsync_BaseBodyBeatsMappedFieldsAndAdditionalPropertiesBeatBoth()
    {
        var handler = new ReplayHandler("""{"id":"c","choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}]}""", "application/json");
        using var client = handler.CreateClient();
        var options = new ChatOptions
        {
            Temperature = 1,
            MaxOutputTokens = 10,
            AdditionalProperties = new() { ["temperature"] = 0.25, ["max_completion_tokens"] = 99 },
            RawRepresentationFactory = _ => new JsonObject { ["temperature"] = 5, ["logprobs"] = true, ["model"] = "base-model" },
        };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], options);

        JsonAssert.BodyEqual(
            """{"messages":[{"role":"user","content":"x"}],"stream":false,"max_tokens":10,"logprobs":true,"model":"base-model","temperature":0.25,"max_completion_tokens":99}""",
            Assert.Single(handler.RequestBodies));
    }

    [Fact]
    public async Task GetResponseAsync_ToolModesAndResultShapes_AreWritten()
    {
        var handler = new ReplayHandler("""{"id":"c","choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}]}""", "application/json");
        using var client = handler.CreateClient();
        var tool = AIFunctionFactory.Create(() => 1, "one");
        var history = new List<ChatMessage>
        {
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "one"), new FunctionCallContent("c2", "one", new Dictionary<string, object?> { ["n"] = 2, ["tags"] = new[] { "a", "b" } })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", 42), new FunctionResultContent("c2", null) { Exception = new InvalidOperationException("boom") }]),
        };

        await client.GetResponseAsync(history, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = true });
        await client.GetResponseAsync(history, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.None });

        using var first = JsonDocument.Parse(handler.RequestBodies[0]);
        var root = first.RootElement;
        Assert.Equal("required", root.GetProperty("tool_choice").GetString());
        Assert.True(root.GetProperty("parallel_tool_calls").GetBoolean());
        var messages = root.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        var calls = messages[0].GetProperty("tool_calls");
        Assert.Equal("{}", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("""{"n":2,"tags":["a","b"]}""", calls[1].GetProperty("function").GetProperty("arguments").GetString());
        Assert.False(messages[0].TryGetProperty("content", out _));
        Assert.Equal("42", messages[1].GetProperty("content").GetString());
        Assert.Equal("Error: boom", messages[2].GetProperty("content").GetString());
        using var second = JsonDocument.Parse(handler.RequestBodies[1]);
        Assert.Equal("none", second.RootElement.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public async Task GetResponseAsync_ResultsInsideAUserMessage_GoRightAfterTheCallsThenTheText()
    {
        var handler = new ReplayHandler("""{"id":"c","choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}]}""", "application/json");
        using var client = handler.CreateClient();
        var history = new List<ChatMessage>
        {
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "f")]),
            new(ChatRole.User, [new FunctionResultContent("c1", "done"), new TextContent("And now?")]),
        };

        await client.GetResponseAsync(history);

        using var body = JsonDocument.Parse(Assert.Single(handler.RequestBodies));
        var roles = body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString());
        Assert.Equal(["assistant", "tool", "user"], roles);
    }

    [Fact]
    public void GetStreamingResponseAsync_NoModelAnywhere_ThrowsAtTheCall()
    {
        using var client = new ReplayHandler(Done).CreateClient(o => o.ModelId = null);

        var ex = Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync("hi"));
        Assert.Contains("ModelId", ex.Message);
    }

    [Fact]
    public void GetStreamingResponseAsync_UnsupportedContent_ThrowsArgumentException()
    {
        using var client = new ReplayHandler(Done).CreateClient();

        Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, [new HostedFileContent("file-1")])]));
        Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")], new ChatOptions { Tools = [new HostedCodeInterpreterTool()] }));
        Assert.Throws<ArgumentNullException>(() => client.GetStreamingResponseAsync((IEnumerable<ChatMessage>)null!));
    }
}
