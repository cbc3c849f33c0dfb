using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>The whole Responses request body for a conversation that uses every mapped option and every input item kind, compared as JSON.</summary>
public sealed class ResponsesRequestBodyTests
{
    [Fact]
    public void Write_EveryMappedOptionAndItemKind_WritesTheExactBody()
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
                new HostedFileContent("file-img") { MediaType = "image/png" },
                new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf") { Name = "report.pdf" },
                new UriContent("https://example.test/report.pdf", "application/pdf"),
                new HostedFileContent("file-doc"),
            ]),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("The user wants ") { AdditionalProperties = new() { [ResponsesKeys.ItemId] = "rs_1" } },
                new TextReasoningContent("the weather."),
                new TextReasoningContent(string.Empty) { ProtectedData = "enc-1", AdditionalProperties = new() { [ResponsesKeys.ItemId] = "rs_1" } },
                new TextContent("Let me "),
                new TextContent("check."),
                new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
                new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = "Atlantis" }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny, 21 °C")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_2", null) { Exception = new InvalidOperationException("Unknown city.") }]),
            new(new ChatRole("developer"), "Answer in English."),
            new(ChatRole.User, "Thanks. Summarise."),
        };
#pragma warning disable MEAI001 // Background responses are experimental.
        var options = new ChatOptions
        {
            ModelId = "gpt-test",
            Instructions = "You are a helpful assistant.",
            Temperature = 0.5f,
            TopP = 0.9f,
            MaxOutputTokens = 8192,
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", schema)],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AllowMultipleToolCalls = false,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(answer, "answer", "The answer."),
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium, Output = ReasoningOutput.Summary },
            AllowBackgroundResponses = true,
            AdditionalProperties = new() { ["store"] = false, ["metadata"] = new Dictionary<string, object?> { ["user_id"] = "u-42" } },
        };
#pragma warning restore MEAI001

        var body = ResponsesRequestWriter.Write(new ChatRequest { Messages = messages, Options = options, Model = options.ModelId, Stream = true });

        var expected = """
        {
          "model": "gpt-test",
          "instructions": "You are a helpful assistant.",
          "input": [
            {"type": "message", "role": "system", "content": [{"type": "input_text", "text": "Be brief."}]},
            {"type": "message", "role": "user", "content": [
              {"type": "input_text", "text": "What is in these, and the weather?"},
              {"type": "input_image", "image_url": "data:image/png;base64,AQID"},
              {"type": "input_image", "image_url": "https://example.test/cat.jpg"},
              {"type": "input_image", "file_id": "file-img"},
              {"type": "input_file", "filename": "report.pdf", "file_data": "data:application/pdf;base64,JVBERg=="},
              {"type": "input_file", "file_url": "https://example.test/report.pdf"},
              {"type": "input_file", "file_id": "file-doc"}
            ]},
            {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "The user wants the weather."}], "encrypted_content": "enc-1"},
            {"type": "message", "role": "assistant", "content": [
              {"type": "output_text", "text": "Let me ", "annotations": []},
              {"type": "output_text", "text": "check.", "annotations": []}
            ]},
            {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
            {"type": "function_call", "call_id": "call_2", "name": "get_weather", "arguments": "{\"city\":\"Atlantis\"}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "sunny, 21 °C"},
            {"type": "function_call_output", "call_id": "call_2", "output": "Error: Unknown city."},
            {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Answer in English."}]},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Thanks. Summarise."}]}
          ],
          "stream": true,
          "background": true,
          "include": ["reasoning.encrypted_content"],
          "temperature": 0.5,
          "top_p": 0.9,
          "max_output_tokens": 8192,
          "tools": [{"type": "function", "name": "get_weather", "description": "Gets the weather.", "parameters": SCHEMA, "strict": false}],
          "tool_choice": {"type": "function", "name": "get_weather"},
          "parallel_tool_calls": false,
          "reasoning": {"effort": "medium", "summary": "auto"},
          "text": {"format": {"type": "json_schema", "name": "answer", "description": "The answer.", "schema": ANSWER}},
          "store": false,
          "metadata": {"user_id": "u-42"}
        }
        """.Replace("SCHEMA", schema.GetRawText(), StringComparison.Ordinal).Replace("ANSWER", answer.GetRawText(), StringComparison.Ordinal);
        JsonAssert.BodyEqual(expected, body);
    }
}
