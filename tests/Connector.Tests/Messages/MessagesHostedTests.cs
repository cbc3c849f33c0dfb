using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Messages.MessagesHostedBlocks;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

#pragma warning disable MEAI001 // The hosted tool contents are experimental in Microsoft.Extensions.AI.

namespace YuHuan.Connector.Tests.Messages;

/// <summary>Server tool, MCP and unknown blocks of Messages responses, streamed and complete, mapped onto hosted tool contents and kept with their JSON.</summary>
public sealed class MessagesHostedTests
{
    public static TheoryData<string, int> Deliveries => MessagesSse.Deliveries;

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_HostedBlocks_MapOntoHostedContentsKeptAsCompleteBlocks(string eol, int chunk)
    {
        var updates = await CollectAsync(Message(eol, "end_turn", StreamEvents()), chunk);

        AssertIdentity(updates);
        var contents = updates.ToChatResponse().Messages.Single().Contents.Where(c => c is not UsageContent).ToList();
        AssertHostedContents(contents);
        Assert.Empty(MessagesSse.All<FunctionCallContent>(updates));
    }

    [Fact]
    public async Task GetResponseAsync_HostedBlocks_MapOntoHostedContentsKeptAsTheyCame()
    {
        var response = await GetResponseAsync(MessagesHostedBlocks.Message());

        var contents = response.Messages.Single().Contents.Where(c => c is not UsageContent).ToList();
        AssertHostedContents(contents);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ServerToolInput_IsNeverAFunctionCallEvenWhenTheStreamEndsWithToolUse()
    {
        var sse = Message(
            "\n",
            "tool_use",
            BlockStart(0, """{"type":"server_tool_use","id":"srvtoolu_9","name":"web_fetch","input":{}}"""),
            InputJsonDelta(0, "{\\\"url\\\":\\\"https://example.test/\\\"}"),
            BlockStop(0),
            ToolUseStart(1, "toolu_1", "get_weather"),
            InputJsonDelta(1, "{\\\"city\\\":\\\"Paris\\\"}"),
            BlockStop(1));

        var updates = await CollectAsync(sse, int.MaxValue);

        var call = Assert.Single(MessagesSse.All<FunctionCallContent>(updates));
        Assert.Equal("toolu_1", call.CallId);
        var fetch = Assert.Single(updates.SelectMany(u => u.Contents), c => c.GetType() == typeof(AIContent));
        Assert.True(WireItems.TryGetOwn(fetch, "Messages", out var json));
        JsonAssert.Equal("""{"type":"server_tool_use","id":"srvtoolu_9","name":"web_fetch","input":{"url":"https://example.test/"}}""", json);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ServerToolInputThatDoesNotParse_KeepsTheStartInputAndFailsNothing()
    {
        var sse = Message(
            "\n",
            "end_turn",
            BlockStart(0, """{"type":"server_tool_use","id":"srvtoolu_9","name":"web_search","input":{"query":"start"}}"""),
            InputJsonDelta(0, "{\\\"query\\\":"),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "ok"),
            BlockStop(1));

        var updates = await CollectAsync(sse, int.MaxValue);

        var search = Assert.Single(MessagesSse.All<WebSearchToolCallContent>(updates));
        Assert.Equal(["start"], search.Queries!);
        Assert.Equal("ok", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_BlocksNeverStopped_AreReportedAtMessageStop()
    {
        var sse = Message(
            "\n",
            "end_turn",
            BlockStart(0, """{"type":"server_tool_use","id":"srvtoolu_7","name":"web_search","input":{}}"""),
            InputJsonDelta(0, "{\\\"query\\\":\\\"tides\\\"}"),
            TextStart(1),
            Delta(1, $$"""{"type":"citations_delta","citation":{{Citation}}}"""),
            TextDelta(1, "High tide is at noon."));

        var updates = await CollectAsync(sse, int.MaxValue);

        var search = Assert.Single(MessagesSse.All<WebSearchToolCallContent>(updates));
        Assert.Equal(["tides"], search.Queries!);
        var text = Assert.Single(MessagesSse.All<TextContent>(updates));
        Assert.Equal("High tide is at noon.", text.Text);
        Assert.Single(text.Annotations!);
    }

    [Fact]
    public async Task GetResponseAsync_ToolResultErrors_BecomeErrorContents()
    {
        var json = $$$"""
            {"id":"{{{MessageId}}}","type":"message","role":"assistant","model":"{{{Model}}}","stop_reason":"end_turn","content":[
              {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}},
              {"type":"code_execution_tool_result","tool_use_id":"srvtoolu_2","content":{"type":"code_execution_tool_result_error","error_code":"unavailable"}},
              {"type":"mcp_tool_result","tool_use_id":"mcptoolu_3","is_error":true,"content":"The server is down."}
            ]}
            """;

        var response = await GetResponseAsync(json);

        var contents = response.Messages.Single().Contents;
        var search = Assert.IsType<WebSearchToolResultContent>(contents[0]);
        Assert.Equal("max_uses_exceeded", Assert.IsType<ErrorContent>(Assert.Single(search.Outputs!)).ErrorCode);
        var code = Assert.IsType<CodeInterpreterToolResultContent>(contents[1]);
        Assert.Equal("unavailable", Assert.IsType<ErrorContent>(Assert.Single(code.Outputs!)).ErrorCode);
        var mcp = Assert.IsType<McpServerToolResultContent>(contents[2]);
        Assert.Equal("The server is down.", Assert.IsType<ErrorContent>(Assert.Single(mcp.Outputs!)).Message);
    }

    private static void AssertHostedContents(List<AIContent> contents)
    {
        Assert.Equal(Blocks.Length, contents.Count);
        for (var i = 0; i < Blocks.Length - 1; i++)
        {
            Assert.True(WireItems.TryGetOwn(contents[i], "Messages", out var json), $"content {i} ({contents[i].GetType().Name}) is not kept");
            JsonAssert.Equal(Blocks[i], json);
        }

        var search = Assert.IsType<WebSearchToolCallContent>(contents[0]);
        Assert.Equal(SearchId, search.CallId);
        Assert.Equal(["claude shannon birth date"], search.Queries!);

        var results = Assert.IsType<WebSearchToolResultContent>(contents[1]);
        Assert.Equal(SearchId, results.CallId);
        Assert.Collection(
            results.Outputs!,
            r =>
            {
                Assert.Equal("https://en.wikipedia.org/wiki/Claude_Shannon", Assert.IsType<UriContent>(r).Uri.AbsoluteUri);
                Assert.Equal("Claude Shannon - Wikipedia", r.AdditionalProperties?["title"]);
            },
            r => Assert.Equal("Claude Shannon | Britannica", r.AdditionalProperties?["title"]));

        var cited = Assert.IsType<TextContent>(contents[2]);
        Assert.Equal(CitedText, cited.Text);
        Assert.Equal(2, cited.Annotations!.Count);

        var bash = Assert.IsType<CodeInterpreterToolCallContent>(contents[3]);
        Assert.Equal("srvtoolu_02", bash.CallId);
        var script = Assert.IsType<DataContent>(Assert.Single(bash.Inputs!));
        Assert.Equal("python -c 'print(2+2)'", Encoding.UTF8.GetString(script.Data.Span));

        var output = Assert.IsType<CodeInterpreterToolResultContent>(contents[4]);
        Assert.Equal("srvtoolu_02", output.CallId);
        Assert.Collection(
            output.Outputs!,
            o => Assert.Equal("4\n", Assert.IsType<TextContent>(o).Text),
            o => Assert.Equal(("note: slow\n", "stderr"), (Assert.IsType<ErrorContent>(o).Message, ((ErrorContent)o).ErrorCode)),
            o => Assert.Equal("file_011CNha8iCJcU1wXNR6q4V8w", Assert.IsType<HostedFileContent>(o).FileId));

        var mcp = Assert.IsType<McpServerToolCallContent>(contents[5]);
        Assert.Equal(("mcptoolu_01", "echo", "example-mcp"), (mcp.CallId, mcp.Name, mcp.ServerName));
        Assert.Equal("hi", Assert.IsType<JsonElement>(mcp.Arguments!["message"]).GetString());
        Assert.Equal(2, Assert.IsType<JsonElement>(mcp.Arguments!["times"]).GetInt32());

        var mcpResult = Assert.IsType<McpServerToolResultContent>(contents[6]);
        Assert.Equal("mcptoolu_01", mcpResult.CallId);
        Assert.Equal("hi hi", Assert.IsType<TextContent>(Assert.Single(mcpResult.Outputs!)).Text);

        // Compaction and a block type nobody announced: plain contents that carry the block.
        Assert.Equal(typeof(AIContent), contents[7].GetType());
        Assert.Equal(typeof(AIContent), contents[8].GetType());

        var done = Assert.IsType<TextContent>(contents[9]);
        Assert.Equal("Done.", done.Text);
        Assert.Null(done.RawRepresentation);
    }
}
