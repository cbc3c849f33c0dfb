using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>Hosted tools in a Messages request: each tool's exact definition, the MCP servers, the beta features on the wire, and what the protocol refuses.</summary>
public sealed class MessagesHostedToolTests
{
    private const string Reply = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""";

    private static readonly JsonElement Schema = JsonElement.Parse("""{"type":"object","properties":{}}""");

    [Fact]
    public void Write_SearchFetchCodeExecutionAndMcp_WritesExactToolsAndServersAndNamesTheBetas()
    {
        var request = Request(new ChatOptions
        {
            Tools =
            [
                AIFunctionFactory.CreateDeclaration("f", null, Schema),
                new HostedWebSearchTool(new Dictionary<string, object?> { ["max_uses"] = 3, ["allowed_domains"] = new[] { "example.test" } }),
                new HostedWebSearchTool(new Dictionary<string, object?> { ["type"] = "web_fetch_20250910", ["name"] = "web_fetch" }),
                new HostedCodeInterpreterTool(),
                new HostedMcpServerTool("wiki", "https://mcp.example.test/sse")
                {
                    AllowedTools = ["ask"],
                    Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["authorization"] = "Bearer tok-1" },
                },
                new HostedMcpServerTool("open", new Uri("https://open.example.test/mcp")) { ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire },
            ],
            ToolMode = ChatToolMode.Auto,
        });

        var body = JsonElement.Parse(MessagesRequestWriter.Write(request).Span);

        JsonAssert.Equal(
            $$"""
            [
              {"name":"f","input_schema":{{Schema.GetRawText()}}},
              {"type":"web_search_20250305","name":"web_search","max_uses":3,"allowed_domains":["example.test"]},
              {"type":"web_fetch_20250910","name":"web_fetch"},
              {"type":"code_execution_20250825","name":"code_execution"}
            ]
            """,
            body.GetProperty("tools"));
        JsonAssert.Equal(
            """
            [
              {"type":"url","url":"https://mcp.example.test/sse","name":"wiki","authorization_token":"tok-1","tool_configuration":{"allowed_tools":["ask"]}},
              {"type":"url","url":"https://open.example.test/mcp","name":"open"}
            ]
            """,
            body.GetProperty("mcp_servers"));
        JsonAssert.Equal("""{"type":"auto"}""", body.GetProperty("tool_choice"));
        Assert.Equal(
            ["web-fetch-2025-09-10", "code-execution-2025-08-25", "mcp-client-2025-04-04"],
            Betas(request));
    }

    [Fact]
    public void Write_OnlyMcpServers_WritesNoToolsAndNoToolChoice()
    {
        var request = Request(new ChatOptions { Tools = [new HostedMcpServerTool("wiki", "https://mcp.example.test/sse")], ToolMode = ChatToolMode.RequireAny });

        var body = JsonElement.Parse(MessagesRequestWriter.Write(request).Span);

        Assert.False(body.TryGetProperty("tools", out _));
        Assert.False(body.TryGetProperty("tool_choice", out _));
        JsonAssert.Equal("""[{"type":"url","url":"https://mcp.example.test/sse","name":"wiki"}]""", body.GetProperty("mcp_servers"));
    }

    [Fact]
    public void Write_WebSearchOnly_NeedsNoBeta()
    {
        var request = Request(new ChatOptions { Tools = [new HostedWebSearchTool()] });

        var body = JsonElement.Parse(MessagesRequestWriter.Write(request).Span);

        JsonAssert.Equal("""[{"type":"web_search_20250305","name":"web_search"}]""", body.GetProperty("tools"));
        Assert.Null(Betas(request));
    }

    [Fact]
    public void Write_ToolsSuppliedByTheBaseBody_ReplaceHostedToolsServersAndBetas()
    {
        var request = Request(
            new ChatOptions { Tools = [new HostedCodeInterpreterTool(), new HostedMcpServerTool("wiki", "https://mcp.example.test/sse")] },
            raw: JsonElement.Parse("""{"tools":[{"type":"bash_20250124","name":"bash"}]}"""));

        var body = JsonElement.Parse(MessagesRequestWriter.Write(request).Span);

        JsonAssert.Equal("""[{"type":"bash_20250124","name":"bash"}]""", body.GetProperty("tools"));
        Assert.False(body.TryGetProperty("mcp_servers", out _));
        Assert.Null(Betas(request));
    }

    [Theory]
    [InlineData("code_execution_20250522", "code-execution-2025-05-22")]
    [InlineData("code_execution_20250825", "code-execution-2025-08-25")]
    [InlineData("web_fetch_20250910", "web-fetch-2025-09-10")]
    [InlineData("web_search_20250305", null)]
    [InlineData("code_execution_latest", null)]
    [InlineData(null, null)]
    public void BetaOf_ToolType_IsTheFeatureOfItsVersion(string? type, string? beta) =>
        Assert.Equal(beta, MessagesToolWriter.BetaOf(type));

    public static TheoryData<AITool, string> Refused => new()
    {
        { new HostedFileSearchTool(), "it is carried by " + TestProtocols.Carrying(new HostedFileSearchTool()) },
#pragma warning disable MEAI001 // Image generation is experimental in Microsoft.Extensions.AI.
        { new HostedImageGenerationTool(), "it is carried by " + TestProtocols.Carrying(new HostedImageGenerationTool()) },
#pragma warning restore MEAI001
        { new HostedCodeInterpreterTool { Inputs = [new HostedFileContent("file_1")] }, "container_upload" },
        { new HostedMcpServerTool("d", "connector_dropbox"), "http(s) URL" },
        { new HostedMcpServerTool("w", "https://mcp.example.test") { ApprovalMode = HostedMcpServerToolApprovalMode.AlwaysRequire }, "approval" },
        { new HostedMcpServerTool("w", "https://mcp.example.test") { ApprovalMode = HostedMcpServerToolApprovalMode.RequireSpecific(["x"], null) }, "approval" },
        { new HostedMcpServerTool("w", "https://mcp.example.test") { Headers = new Dictionary<string, string> { ["X-Team"] = "a" } }, "bearer token" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Write_ToolTheProtocolCannotExpress_ThrowsNamingTheToolType(AITool tool, string named)
    {
        var ex = Assert.Throws<ArgumentException>(() => MessagesRequestWriter.Write(Request(new ChatOptions { Tools = [tool] })));

        Assert.Contains(tool.GetType().Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_CodeExecutionAndMcp_SendTheBetaFeaturesOnTheWire()
    {
        var handler = new ReplayHandler(Reply, "application/json");
        using var client = handler.CreateClient(o => o.Protocol = YuHuanProtocol.Messages);

        await client.GetResponseAsync("hi", new ChatOptions { Tools = [new HostedCodeInterpreterTool(), new HostedMcpServerTool("wiki", "https://mcp.example.test/sse")] });
        await client.GetResponseAsync("hi", new ChatOptions { Tools = [new HostedWebSearchTool()] });

        Assert.Equal("code-execution-2025-08-25,mcp-client-2025-04-04", string.Join(",", handler.Requests[0].Headers.GetValues("anthropic-beta")));
        Assert.False(handler.Requests[1].Headers.Contains("anthropic-beta"));
        Assert.Equal("2023-06-01", Assert.Single(handler.Requests[0].Headers.GetValues("anthropic-version")));
    }

    [Fact]
    public async Task GetResponseAsync_CallerBetaHeader_KeepsItsFeaturesAndGetsTheToolsAppended()
    {
        var handler = new ReplayHandler(Reply, "application/json");
        using var client = handler.CreateClient(o =>
        {
            o.Protocol = YuHuanProtocol.Messages;
            o.AdditionalHeaders["anthropic-beta"] = "context-1m-2025-08-07,mcp-client-2025-04-04";
        });

        await client.GetResponseAsync("hi", new ChatOptions { Tools = [new HostedCodeInterpreterTool(), new HostedMcpServerTool("wiki", "https://mcp.example.test/sse")] });

        Assert.Equal(
            "context-1m-2025-08-07,mcp-client-2025-04-04,code-execution-2025-08-25",
            string.Join(",", handler.Requests[0].Headers.GetValues("anthropic-beta")));
    }

    private static ChatRequest Request(ChatOptions options, object? raw = null) => new()
    {
        Messages = [new ChatMessage(ChatRole.User, "hi")],
        ToolCarriers = Protocols.Carrying,
        Options = options,
        Model = "claude-test",
        RawRepresentation = raw,
    };

    private static List<string>? Betas(ChatRequest request)
    {
        MessagesRequestWriter.Write(request, useThinkingBudget: false, out var betas);
        return betas;
    }
}
