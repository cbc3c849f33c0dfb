using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;
using YuHuan.Connector.Tests.Testing;

namespace YuHuan.Connector.Tests.Messages.Emulator;

/// <summary>The emulator's Messages renderer on hosted tools, citations and raw blocks, checked by the events and JSON it produces.</summary>
public sealed class MessagesHostedToolsRendererTests
{
    private static readonly WireFormat Wire = MessagesWireFormat.Instance;

    [Fact]
    public void RenderStream_WebSearchAndCitedText_SendsServerToolUseResultAndCitationsDelta()
    {
        var reply = new EmulatorReply()
            .AddWebSearch("weather paris", [("https://a.example/w", "Weather A", "enc-a"), ("https://b.example/w", "Weather B", null)], callId: "srvtoolu_1")
            .AddText("Sunny in Paris.", chunkSize: 100)
            .AddCitation("https://a.example/w", "Weather A", "Paris: sunny, 24 C");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(
            [
                "message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ],
            events.Select(e => e.Type));
        JsonAssert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}""", events[2].Data);
        JsonAssert.Equal("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}""", events[3].Data);
        JsonAssert.Equal("""{"query":"weather paris"}""", events[4].Json.GetProperty("delta").GetProperty("partial_json").GetString()!);
        JsonAssert.Equal(
            """
            {"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[
              {"type":"web_search_result","url":"https://a.example/w","title":"Weather A","encrypted_content":"enc-a","page_age":null},
              {"type":"web_search_result","url":"https://b.example/w","title":"Weather B","page_age":null}]}}
            """,
            events[6].Data);
        JsonAssert.Equal("""{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}""", events[8].Data);
        JsonAssert.Equal(
            """
            {"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{"type":"web_search_result_location",
              "cited_text":"Paris: sunny, 24 C","url":"https://a.example/w","title":"Weather A","encrypted_index":"emu_index_1"}}}
            """,
            events[9].Data);
        JsonAssert.Equal("""{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Sunny in Paris."}}""", events[10].Data);
        Assert.Equal("end_turn", events[12].Json.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void RenderCompletion_WebSearchAndCitedText_HoldsTheBlocksWithCitations()
    {
        var reply = new EmulatorReply()
            .AddWebSearch("weather paris", [("https://a.example/w", "Weather A", "enc-a")])
            .AddText("Sunny in Paris.")
            .AddCitation("https://a.example/w", "Weather A", "Paris: sunny")
            .AddCitation("https://a.example/w", "Weather A", "24 C");

        var content = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("content");

        JsonAssert.Equal(
            """
            [
              {"type":"server_tool_use","id":"srvtoolu_emu_1","name":"web_search","input":{"query":"weather paris"}},
              {"type":"web_search_tool_result","tool_use_id":"srvtoolu_emu_1","content":[
                {"type":"web_search_result","url":"https://a.example/w","title":"Weather A","encrypted_content":"enc-a","page_age":null}]},
              {"type":"text","text":"Sunny in Paris.","citations":[
                {"type":"web_search_result_location","cited_text":"Paris: sunny","url":"https://a.example/w","title":"Weather A","encrypted_index":"emu_index_1"},
                {"type":"web_search_result_location","cited_text":"24 C","url":"https://a.example/w","title":"Weather A","encrypted_index":"emu_index_2"}]}
            ]
            """,
            content);
    }

    [Fact]
    public void Render_WebFetch_IsServerToolUseAndWebFetchToolResultStreamedAndComplete()
    {
        var reply = new EmulatorReply().AddWebFetch("https://a.example/page", "Page A", "Hello from A.");
        var result = """
            {"type":"web_fetch_tool_result","tool_use_id":"srvtoolu_emu_1","content":{"type":"web_fetch_result","url":"https://a.example/page",
             "content":{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Hello from A."},"title":"Page A"},
             "retrieved_at":"2023-11-14T22:13:20Z"}}
            """;

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var content = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("content");

        var starts = events.Where(e => e.Type == "content_block_start").Select(e => e.Json.GetProperty("content_block")).ToList();
        JsonAssert.Equal("""{"type":"server_tool_use","id":"srvtoolu_emu_1","name":"web_fetch","input":{}}""", starts[0]);
        JsonAssert.Equal(result, starts[1]);
        JsonAssert.Equal("""{"url":"https://a.example/page"}""", string.Concat(events.Where(e => e.Type == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("partial_json").GetString())));
        JsonAssert.Equal($$$"""[{"type":"server_tool_use","id":"srvtoolu_emu_1","name":"web_fetch","input":{"url":"https://a.example/page"}},{{{result}}}]""", content);
    }

    [Theory]
    [InlineData(false, "code_execution", "code", "code_execution_tool_result", "code_execution_result")]
    [InlineData(true, "bash_code_execution", "command", "bash_code_execution_tool_result", "bash_code_execution_result")]
    public void Render_CodeExecution_IsServerToolUseAndItsResultStreamedAndComplete(bool bash, string name, string inputField, string resultType, string resultContentType)
    {
        var reply = new EmulatorReply().AddCodeExecution("print(6*7)", "42\n", stderr: "warn", returnCode: 1, bash: bash);
        var input = $$"""{"{{inputField}}":"print(6*7)"}""";
        var result = $$$"""{"type":"{{{resultType}}}","tool_use_id":"srvtoolu_emu_1","content":{"type":"{{{resultContentType}}}","stdout":"42\n","stderr":"warn","return_code":1,"content":[]}}""";

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var content = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("content");

        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "content_block_start", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Type));
        JsonAssert.Equal($$$"""{"type":"server_tool_use","id":"srvtoolu_emu_1","name":"{{{name}}}","input":{}}""", events[2].Json.GetProperty("content_block"));
        JsonAssert.Equal(input, string.Concat(events[3..5].Select(e => e.Json.GetProperty("delta").GetProperty("partial_json").GetString())));
        JsonAssert.Equal(result, events[6].Json.GetProperty("content_block"));
        JsonAssert.Equal($$$"""[{"type":"server_tool_use","id":"srvtoolu_emu_1","name":"{{{name}}}","input":{{{input}}}},{{{result}}}]""", content);
    }

    [Fact]
    public void Render_McpCall_IsMcpToolUseAndMcpToolResultStreamedAndComplete()
    {
        var reply = new EmulatorReply()
            .AddMcpCall("deepwiki", "ask_question", """{"repo":"a/b","question":"What?"}""", "It is a library.", callId: "mcptoolu_1")
            .AddMcpCall("deepwiki", "read", "{}", resultText: "not found", isError: true);

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var content = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("content");

        var starts = events.Where(e => e.Type == "content_block_start").Select(e => e.Json.GetProperty("content_block")).ToList();
        Assert.Equal(4, starts.Count);
        JsonAssert.Equal("""{"type":"mcp_tool_use","id":"mcptoolu_1","name":"ask_question","server_name":"deepwiki","input":{}}""", starts[0]);
        JsonAssert.Equal("""{"type":"mcp_tool_result","tool_use_id":"mcptoolu_1","is_error":false,"content":[{"type":"text","text":"It is a library."}]}""", starts[1]);
        var inputDeltas = events.Where(e => e.Type == "content_block_delta" && e.Json.GetProperty("index").GetInt32() == 0).Select(e => e.Json.GetProperty("delta").GetProperty("partial_json").GetString());
        JsonAssert.Equal("""{"repo":"a/b","question":"What?"}""", string.Concat(inputDeltas));
        JsonAssert.Equal(
            """
            [
              {"type":"mcp_tool_use","id":"mcptoolu_1","name":"ask_question","server_name":"deepwiki","input":{"repo":"a/b","question":"What?"}},
              {"type":"mcp_tool_result","tool_use_id":"mcptoolu_1","is_error":false,"content":[{"type":"text","text":"It is a library."}]},
              {"type":"mcp_tool_use","id":"mcptoolu_emu_1","name":"read","server_name":"deepwiki","input":{}},
              {"type":"mcp_tool_result","tool_use_id":"mcptoolu_emu_1","is_error":true,"content":[{"type":"text","text":"not found"}]}
            ]
            """,
            content);
    }

    [Fact]
    public void Render_RawBlock_IsSentAsScriptedInItsPlace()
    {
        const string Compaction = """
            {"type": "compaction", "content": null,
             "encrypted_content": "opaque=="}
            """;
        var reply = new EmulatorReply().AddText("Before.").AddRawItem(Compaction).AddText("After.");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var content = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("content");

        var raw = Assert.Single(events, e => e.Type == "content_block_start" && e.Json.GetProperty("index").GetInt32() == 1);
        JsonAssert.Equal("""{"type":"content_block_start","index":1,"content_block":{"type":"compaction","content":null,"encrypted_content":"opaque=="}}""", raw.Data);
        Assert.DoesNotContain(events, e => e.Type == "content_block_delta" && e.Json.GetProperty("index").GetInt32() == 1);
        Assert.Contains(events, e => e.Type == "content_block_stop" && e.Json.GetProperty("index").GetInt32() == 1);
        JsonAssert.Equal("""[{"type":"text","text":"Before."},{"type":"compaction","content":null,"encrypted_content":"opaque=="},{"type":"text","text":"After."}]""", content);
    }

    [Fact]
    public void Render_ApprovalRequestImageGenerationAndFileSearch_AreLeftOut()
    {
        var reply = new EmulatorReply()
            .AddMcpApprovalRequest("mcpr_1", "deepwiki", "ask_question", "{}")
            .AddImageGeneration("iVBORw0KGgo=", ["cGFydA=="])
            .AddFileSearch(["q"], [("file_1", "a.pdf", "text", 0.9)])
            .AddText("Done.");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var content = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("content");

        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Type));
        Assert.Equal(0, events[2].Json.GetProperty("index").GetInt32());
        JsonAssert.Equal("""[{"type":"text","text":"Done."}]""", content);
    }

    [Fact]
    public void HostedParts_WebSearchCitedTextAndRawItem_AreFourBlocksOfTheirTypes()
    {
        var message = JsonElement.Parse(Wire.RenderCompletion(EmulatorReplyHostedToolsTests.HostedParts()));

        Assert.Equal(["server_tool_use", "web_search_tool_result", "text", "compaction"], message.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
    }
}
