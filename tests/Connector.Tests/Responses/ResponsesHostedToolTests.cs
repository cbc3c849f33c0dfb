#pragma warning disable MEAI001 // Image generation and tool search are experimental in Microsoft.Extensions.AI.

using System.Drawing;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>Hosted tools in a Responses request: each tool's exact definition, what the protocol refuses, and MCP approval responses.</summary>
public sealed class ResponsesHostedToolTests
{
    private static readonly JsonElement Schema = JsonElement.Parse("""{"type":"object","properties":{}}""");

    [Fact]
    public void Write_EveryHostedTool_WritesTheExactToolsArray()
    {
        var image = new HostedImageGenerationTool
        {
            Options = new ImageGenerationOptions { ModelId = "gpt-image-1", ImageSize = new Size(1024, 1536), MediaType = "image/webp", StreamingCount = 2 },
        };
        var body = Write(new ChatOptions
        {
            Tools =
            [
                AIFunctionFactory.CreateDeclaration("f", null, Schema),
                new HostedWebSearchTool(new Dictionary<string, object?> { ["search_context_size"] = "low", ["user_location"] = new Dictionary<string, object?> { ["type"] = "approximate", ["city"] = "Paris" } }),
                new HostedFileSearchTool { Inputs = [new HostedVectorStoreContent("vs_1"), new HostedVectorStoreContent("vs_2")], MaximumResultCount = 5 },
                new HostedCodeInterpreterTool { Inputs = [new HostedFileContent("file_1")] },
                new HostedCodeInterpreterTool(),
                image,
                new HostedMcpServerTool("deepwiki", "https://mcp.deepwiki.com/mcp")
                {
                    ServerDescription = "Docs of public repositories.",
                    AllowedTools = ["ask_question"],
                    ApprovalMode = HostedMcpServerToolApprovalMode.AlwaysRequire,
                    Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer tok", ["X-Team"] = "a" },
                },
                new HostedMcpServerTool("dropbox", "connector_dropbox")
                {
                    ApprovalMode = HostedMcpServerToolApprovalMode.RequireSpecific(["delete"], ["search"]),
                    Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer oauth-1" },
                },
                new HostedMcpServerTool("plain", new Uri("https://example.test/mcp")) { ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire },
            ],
        });

        JsonAssert.Equal(
            $$$"""
            [
              {"type":"function","name":"f","parameters":{{{Schema.GetRawText()}}},"strict":false},
              {"type":"web_search","search_context_size":"low","user_location":{"type":"approximate","city":"Paris"}},
              {"type":"file_search","vector_store_ids":["vs_1","vs_2"],"max_num_results":5},
              {"type":"code_interpreter","container":{"type":"auto","file_ids":["file_1"]}},
              {"type":"code_interpreter","container":{"type":"auto"}},
              {"type":"image_generation","model":"gpt-image-1","size":"1024x1536","output_format":"webp","partial_images":2},
              {"type":"mcp","server_label":"deepwiki","server_url":"https://mcp.deepwiki.com/mcp","server_description":"Docs of public repositories.",
               "allowed_tools":["ask_question"],"require_approval":"always","headers":{"Authorization":"Bearer tok","X-Team":"a"}},
              {"type":"mcp","server_label":"dropbox","connector_id":"connector_dropbox",
               "require_approval":{"always":{"tool_names":["delete"]},"never":{"tool_names":["search"]}},"authorization":"oauth-1"},
              {"type":"mcp","server_label":"plain","server_url":"https://example.test/mcp","require_approval":"never"}
            ]
            """,
            body.GetProperty("tools"));
    }

    [Fact]
    public void Write_ToolAdditionalProperty_ReplacesTheMappedField()
    {
        var body = Write(new ChatOptions
        {
            Tools = [new HostedCodeInterpreterTool(new Dictionary<string, object?> { ["container"] = "cntr_1" }) { Inputs = [new HostedFileContent("file_1")] }],
        });

        JsonAssert.Equal("""[{"type":"code_interpreter","container":"cntr_1"}]""", body.GetProperty("tools"));
    }

    [Fact]
    public void Write_ToolsSuppliedByAdditionalProperties_WinOverHostedTools()
    {
        var body = Write(new ChatOptions
        {
            Tools = [new HostedToolSearchTool()],
            AdditionalProperties = new() { ["tools"] = JsonElement.Parse("""[{"type":"web_search_preview"}]""") },
        });

        JsonAssert.Equal("""[{"type":"web_search_preview"}]""", body.GetProperty("tools"));
    }

    [Fact]
    public void Write_FunctionWithAdditionalPropertiesThatAreNoJson_IsWrittenWithoutThem()
    {
        var function = AIFunctionFactory.Create(() => 1, new AIFunctionFactoryOptions
        {
            Name = "one",
            AdditionalProperties = new Dictionary<string, object?> { ["owner"] = typeof(ResponsesHostedToolTests) },
        });

        var body = Write(new ChatOptions { Tools = [function, new HostedWebSearchTool()] });

        Assert.Equal(["function", "web_search"], body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("type").GetString()));
        Assert.False(body.GetProperty("tools")[0].TryGetProperty("owner", out _));
    }

    public static TheoryData<AITool, string> Refused => new()
    {
        { new HostedToolSearchTool(), "no protocol" },
        { new HostedFileSearchTool(), "vector store" },
        { new HostedFileSearchTool { Inputs = [new HostedFileContent("file_1")] }, "HostedFileContent" },
        { new HostedCodeInterpreterTool { Inputs = [new UriContent("https://example.test/a.csv", "text/csv")] }, "UriContent" },
        { new HostedImageGenerationTool { Options = new ImageGenerationOptions { Count = 2 } }, "Count" },
        { new HostedImageGenerationTool { Options = new ImageGenerationOptions { MediaType = "image/gif" } }, "image/gif" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Write_ToolTheProtocolCannotExpress_ThrowsNamingTheToolType(AITool tool, string named)
    {
        var ex = Assert.Throws<ArgumentException>(() => Write(new ChatOptions { Tools = [tool] }));

        Assert.Contains(tool.GetType().Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ToolApprovalResponse_WritesMcpApprovalResponseInPlace()
    {
        var call = new McpServerToolCallContent("mcpr_1", "ask_question", "deepwiki");
        var body = Write(
            new ChatOptions(),
            [
                new ChatMessage(ChatRole.User, "Ask the wiki."),
                new ChatMessage(ChatRole.User, [new ToolApprovalResponseContent("mcpr_1", true, call), new TextContent("Go on.")]),
                new ChatMessage(ChatRole.User, [new ToolApprovalResponseContent("mcpr_2", false, call) { Reason = "Not that one." }]),
            ]);

        JsonAssert.Equal(
            """
            [
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Ask the wiki."}]},
              {"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":true},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Go on."}]},
              {"type":"mcp_approval_response","approval_request_id":"mcpr_2","approve":false,"reason":"Not that one."}
            ]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_ApprovalResponseForAFunctionCall_ThrowsNamingTheFunctionInvokingLayer()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write(
            new ChatOptions(),
            [new ChatMessage(ChatRole.User, [new ToolApprovalResponseContent("r1", true, new FunctionCallContent("call_1", "get_weather"))])]));

        Assert.Contains("get_weather", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FunctionInvokingChatClient", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ApprovalResponseInASystemMessage_Throws()
    {
        var approval = new ToolApprovalResponseContent("mcpr_1", true, new McpServerToolCallContent("mcpr_1", "t", "s"));

        var ex = Assert.Throws<ArgumentException>(() => Write(new ChatOptions(), [new ChatMessage(ChatRole.System, [approval])]));

        Assert.Contains(nameof(ToolApprovalResponseContent), ex.Message, StringComparison.Ordinal);
    }

    private static JsonElement Write(ChatOptions options, List<ChatMessage>? messages = null)
    {
        var body = ResponsesRequestWriter.Write(new ChatRequest
        {
            Messages = messages ?? [new ChatMessage(ChatRole.User, "hi")],
            Options = options,
            Model = "gpt-test",
        });
        return JsonElement.Parse(body.Span);
    }
}
