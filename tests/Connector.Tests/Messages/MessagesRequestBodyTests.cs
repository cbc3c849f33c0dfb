using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>The whole Messages request body for a conversation that uses every mapped option, compared as JSON.</summary>
public sealed class MessagesRequestBodyTests
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
                new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf"),
                new UriContent("https://example.test/report.pdf", "application/pdf"),
                new DataContent("Notes: bring an umbrella."u8.ToArray(), "text/plain"),
            ]),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("The user wants "),
                new TextReasoningContent("the weather.") { ProtectedData = "sig-1" },
                new TextReasoningContent(string.Empty) { ProtectedData = "enc-1", AdditionalProperties = new() { [ReasoningMarkers.Redacted] = true } },
                new TextContent("Let me check."),
                new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
                new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = "Atlantis" }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny, 21 °C")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_2", null) { Exception = new InvalidOperationException("Unknown city.") }]),
            new(ChatRole.System, "Answer in English."),
            new(ChatRole.User, "Thanks. Summarise."),
        };
        var options = new ChatOptions
        {
            ModelId = "claude-sonnet-4-5",
            Instructions = "You are a helpful assistant.",
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 8192,
            StopSequences = ["END"],
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", schema)],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AllowMultipleToolCalls = false,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(answer, "answer", "The answer."),
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium },
            AdditionalProperties = new() { ["metadata"] = new Dictionary<string, object?> { ["user_id"] = "u-42" } },
        };

        var body = MessagesRequestWriter.Write(new ChatRequest { Messages = messages, Options = options, Model = options.ModelId, Stream = true });

        var expected = """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 8192,
          "system": [
            {"type": "text", "text": "You are a helpful assistant."},
            {"type": "text", "text": "Be brief."},
            {"type": "text", "text": "Answer in English."}
          ],
          "messages": [
            {"role": "user", "content": [
              {"type": "text", "text": "What is in these, and the weather?"},
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AQID"}},
              {"type": "image", "source": {"type": "url", "url": "https://example.test/cat.jpg"}},
              {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERg=="}},
              {"type": "document", "source": {"type": "url", "url": "https://example.test/report.pdf"}},
              {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "Notes: bring an umbrella."}}
            ]},
            {"role": "assistant", "content": [
              {"type": "thinking", "thinking": "The user wants the weather.", "signature": "sig-1"},
              {"type": "redacted_thinking", "data": "enc-1"},
              {"type": "text", "text": "Let me check."},
              {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}},
              {"type": "tool_use", "id": "call_2", "name": "get_weather", "input": {"city": "Atlantis"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "call_1", "content": "sunny, 21 °C"},
              {"type": "tool_result", "tool_use_id": "call_2", "content": "Unknown city.", "is_error": true},
              {"type": "text", "text": "Thanks. Summarise."}
            ]}
          ],
          "stream": true,
          "temperature": 0.5,
          "top_p": 0.9,
          "top_k": 40,
          "stop_sequences": ["END"],
          "tools": [{"name": "get_weather", "description": "Gets the weather.", "input_schema": SCHEMA}],
          "tool_choice": {"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true},
          "thinking": {"type": "adaptive", "display": "summarized"},
          "output_config": {"effort": "medium", "format": {"type": "json_schema", "schema": {"type": "object", "properties": {"answer": {"type": "string"}}, "additionalProperties": false}}},
          "metadata": {"user_id": "u-42"}
        }
        """.Replace("SCHEMA", schema.GetRawText(), StringComparison.Ordinal);
        JsonAssert.BodyEqual(expected, body);
    }
}
