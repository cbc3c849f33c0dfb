using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Http;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>The whole Chat Completions request body for a conversation that uses every mapped option, compared as JSON.</summary>
public sealed class ChatCompletionsRequestBodyTests
{
    [Fact]
    public void Write_EveryMappedOption_WritesTheExactBody()
    {
        var schema = JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var answer = JsonElement.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}""");
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User,
            [
                new TextContent("What is in these, and the weather?"),
                new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
                new UriContent("https://example.test/cat.jpg", "image/jpeg"),
                new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf") { Name = "report.pdf" },
            ]),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("The user wants "),
                new TextReasoningContent("the weather.") { ProtectedData = "sig-1" },
                new TextContent("Let me check."),
                new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
                new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = "Atlantis" }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny, 21 °C")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_2", null) { Exception = new InvalidOperationException("Unknown city.") }]),
            new(ChatRole.User, "Thanks. Summarise."),
        };
        var options = new ChatOptions
        {
            ModelId = "deepseek-reasoner",
            Instructions = "You are a helpful assistant.",
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 8192,
            StopSequences = ["END"],
            Seed = 7,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", schema)],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AllowMultipleToolCalls = false,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(answer, "answer", "The answer."),
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium },
            AdditionalProperties = new() { ["user"] = "u-42" },
        };

        var body = ChatCompletionsRequestWriter.Write(new ChatRequest { Messages = messages, Options = options, Model = options.ModelId, Stream = true });

        var expected = """
        {
          "model": "deepseek-reasoner",
          "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [
              {"type": "text", "text": "What is in these, and the weather?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,AQID"}},
              {"type": "image_url", "image_url": {"url": "https://example.test/cat.jpg"}},
              {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERg==", "filename": "report.pdf"}}
            ]},
            {"role": "assistant", "content": "Let me check.", "reasoning_content": "The user wants the weather.",
             "tool_calls": [
               {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
               {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Atlantis\"}"}}
             ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "sunny, 21 °C"},
            {"role": "tool", "tool_call_id": "call_2", "content": "Error: Unknown city."},
            {"role": "user", "content": "Thanks. Summarise."}
          ],
          "stream": true,
          "stream_options": {"include_usage": true},
          "temperature": 0.5,
          "top_p": 0.9,
          "top_k": 40,
          "max_tokens": 8192,
          "stop": ["END"],
          "seed": 7,
          "frequency_penalty": 0.1,
          "presence_penalty": 0.2,
          "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Gets the weather.", "parameters": SCHEMA}}],
          "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
          "parallel_tool_calls": false,
          "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "description": "The answer.", "schema": ANSWER}},
          "reasoning_effort": "medium",
          "user": "u-42"
        }
        """.Replace("SCHEMA", schema.GetRawText(), StringComparison.Ordinal).Replace("ANSWER", answer.GetRawText(), StringComparison.Ordinal);
        JsonAssert.BodyEqual(expected, body);
    }

    [Fact]
    public void Write_StrictJsonSchemaAsked_StrictOnSchemaAndToolsAndTheKeyIsNoField()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""");
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", null, schema.RootElement)],
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement, "answer"),
            AdditionalProperties = new() { ["strictJsonSchema"] = true },
        };

        var body = ChatCompletionsRequestWriter.Write(new ChatRequest { Messages = [new(ChatRole.User, "hi")], Options = options, Model = "m" });

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.True(root.GetProperty("response_format").GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.True(root.GetProperty("tools")[0].GetProperty("function").GetProperty("strict").GetBoolean());
        Assert.False(root.TryGetProperty("strictJsonSchema", out _));
    }

    [Fact]
    public void Write_AnotherProtocolsKeptContent_LeavesItOutWithADebugLine()
    {
#pragma warning disable MEAI001 // Hosted-tool contents are experimental in Microsoft.Extensions.AI.
        var search = new WebSearchToolCallContent("srvtoolu_1")
        {
            RawRepresentation = JsonElement.Parse("""{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}}"""),
            AdditionalProperties = new() { ["yuhuan_protocol"] = TestProtocols.Kits.First(kit => kit.HostsTools).Name },
        };
#pragma warning restore MEAI001
        var compaction = new AIContent
        {
            RawRepresentation = JsonElement.Parse("""{"type":"compaction","encrypted_content":"secret"}"""),
            AdditionalProperties = new() { ["yuhuan_protocol"] = TestProtocols.Kits.Last(kit => kit.HostsTools).Name },
        };
        var log = new LogRecorder();
        List<ChatMessage> messages = [new(ChatRole.User, "hi"), new(ChatRole.Assistant, [search, new TextContent("Found."), compaction])];

        var body = ChatCompletionsRequestWriter.Write(new ChatRequest { Messages = messages, Model = "m", Logger = log });

        JsonAssert.Equal("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Found."}],"stream":false}""", body.ToArray());
        Assert.Equal(2, log.Lines.Count(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Debug && l.Text.Contains("left out of the request", StringComparison.Ordinal)));
    }

    [Fact]
    public void Write_UnmarkedContentItCannotCarry_IsAnArgumentException()
    {
        var content = new AIContent { RawRepresentation = JsonElement.Parse("""{"type":"compaction"}""") };

        var error = Assert.Throws<ArgumentException>(() => ChatCompletionsRequestWriter.Write(
            new ChatRequest { Messages = [new(ChatRole.Assistant, [content])], Model = "m" }));

        Assert.Contains("cannot carry", error.Message, StringComparison.Ordinal);
    }
}
