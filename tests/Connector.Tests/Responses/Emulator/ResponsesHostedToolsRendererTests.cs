using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;
using YuHuan.Connector.Tests.Testing;

namespace YuHuan.Connector.Tests.Responses.Emulator;

/// <summary>The emulator's Responses renderer on hosted tools, citations and raw items, checked by the events and JSON it produces.</summary>
public sealed class ResponsesHostedToolsRendererTests
{
    private static readonly WireFormat Wire = ResponsesWireFormat.Instance;

    [Fact]
    public void RenderStream_WebSearchAndCitedText_SendsWebSearchCallEventsAndAnnotationAdded()
    {
        var reply = new EmulatorReply()
            .AddWebSearch("weather paris", [("https://a.example/w", "Weather A", "enc-a")], callId: "ws_1")
            .AddText("Sunny in Paris.", chunkSize: 100)
            .AddCitation("https://a.example/w", "Weather A", "Paris: sunny", startIndex: 0, endIndex: 5);

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.web_search_call.in_progress", "response.web_search_call.searching",
                "response.web_search_call.completed", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.annotation.added", "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(0, events.Length), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
        JsonAssert.Equal("""{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"in_progress"}}""", events[2].Data);
        JsonAssert.Equal("""{"type":"response.web_search_call.searching","sequence_number":4,"item_id":"ws_1","output_index":0}""", events[4].Data);
        var webSearch = """{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"weather paris","sources":[{"type":"url","url":"https://a.example/w"}]}}""";
        JsonAssert.Equal(webSearch, events[6].Json.GetProperty("item"));

        var annotation = """{"type":"url_citation","start_index":0,"end_index":5,"url":"https://a.example/w","title":"Weather A"}""";
        JsonAssert.Equal(
            $$"""{"type":"response.output_text.annotation.added","sequence_number":10,"item_id":"msg_item_emu_1","output_index":1,"content_index":0,"annotation_index":0,"annotation":{{annotation}}}""",
            events[10].Data);
        JsonAssert.Equal("""{"type":"output_text","annotations":[],"text":""}""", events[8].Json.GetProperty("part"));
        JsonAssert.Equal($$"""{"type":"output_text","annotations":[{{annotation}}],"text":"Sunny in Paris."}""", events[12].Json.GetProperty("part"));

        var output = events[^1].Json.GetProperty("response").GetProperty("output");
        JsonAssert.Equal(
            $$"""
            [{{webSearch}},
             {"id":"msg_item_emu_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[{{annotation}}],"text":"Sunny in Paris."}]}]
            """,
            output);
        JsonAssert.Equal(output.GetRawText(), JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("output"));
    }

    [Fact]
    public void Render_CitationWithoutIndexes_CoversTheWholeTextPart()
    {
        var reply = new EmulatorReply().AddText("Sunny.").AddCitation("https://a.example", "A", "sunny");

        var annotations = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("output")[0].GetProperty("content")[0].GetProperty("annotations");

        JsonAssert.Equal("""[{"type":"url_citation","start_index":0,"end_index":6,"url":"https://a.example","title":"A"}]""", annotations);
    }

    [Fact]
    public void Render_WebFetch_IsAWebSearchCallOpeningThePage()
    {
        var reply = new EmulatorReply().AddWebFetch("https://a.example/page", "Page A", "Hello from A.");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var output = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("output");

        Assert.Equal(
            ["response.output_item.added", "response.web_search_call.in_progress", "response.web_search_call.searching", "response.web_search_call.completed", "response.output_item.done"],
            events[2..7].Select(e => e.Type));
        var item = """{"id":"ws_emu_1","type":"web_search_call","status":"completed","action":{"type":"open_page","url":"https://a.example/page"}}""";
        JsonAssert.Equal(item, events[6].Json.GetProperty("item"));
        JsonAssert.Equal($"[{item}]", output);
    }

    [Fact]
    public void Render_FileSearch_SendsFileSearchCallEventsAndResults()
    {
        var reply = new EmulatorReply()
            .AddFileSearch(["fox habitat"], [("file_1", "foxes.pdf", "Foxes live in forests.", 0.5)], callId: "fs_1")
            .AddFileSearch(["nothing"], []);

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var output = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("output");

        Assert.Equal(
            ["response.output_item.added", "response.file_search_call.in_progress", "response.file_search_call.searching", "response.file_search_call.completed", "response.output_item.done"],
            events[2..7].Select(e => e.Type));
        JsonAssert.Equal("""{"id":"fs_1","type":"file_search_call","status":"in_progress","queries":["fox habitat"],"results":null}""", events[2].Json.GetProperty("item"));
        Assert.Equal("fs_1", events[4].Json.GetProperty("item_id").GetString());
        var done = """{"id":"fs_1","type":"file_search_call","status":"completed","queries":["fox habitat"],"results":[{"file_id":"file_1","filename":"foxes.pdf","score":0.5,"text":"Foxes live in forests.","attributes":{}}]}""";
        JsonAssert.Equal(done, events[6].Json.GetProperty("item"));
        JsonAssert.Equal($$"""[{{done}},{"id":"fs_emu_1","type":"file_search_call","status":"completed","queries":["nothing"],"results":null}]""", output);
    }

    [Fact]
    public void RenderStream_CodeExecution_SendsCodeInterpreterCallWithCodeDeltasAndOutputs()
    {
        var reply = new EmulatorReply().AddCodeExecution("print(6*7)", "42\n", stderr: "warn", imageUrls: ["https://files.example/plot.png"]);

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added",
                "response.code_interpreter_call.in_progress", "response.code_interpreter_call_code.delta", "response.code_interpreter_call_code.delta",
                "response.code_interpreter_call_code.done", "response.code_interpreter_call.interpreting", "response.code_interpreter_call.completed",
                "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Type));
        JsonAssert.Equal("""{"id":"ci_emu_1","type":"code_interpreter_call","status":"in_progress","code":"","container_id":"cntr_emu_1","outputs":null}""", events[2].Json.GetProperty("item"));
        Assert.Equal("print(6*7)", string.Concat(events[4..6].Select(e => e.Json.GetProperty("delta").GetString())));
        Assert.All(events[3..9], e => Assert.Equal("ci_emu_1", e.Json.GetProperty("item_id").GetString()));
        Assert.Equal("print(6*7)", events[6].Json.GetProperty("code").GetString());
        JsonAssert.Equal(
            """
            {"id":"ci_emu_1","type":"code_interpreter_call","status":"completed","code":"print(6*7)","container_id":"cntr_emu_1",
             "outputs":[{"type":"logs","logs":"42\nwarn"},{"type":"image","url":"https://files.example/plot.png"}]}
            """,
            events[9].Json.GetProperty("item"));
    }

    [Fact]
    public void RenderStream_ImageGeneration_SendsPartialImagesThenTheResult()
    {
        var reply = new EmulatorReply().AddImageGeneration("RklOQUw=", ["UDE=", "UDI="], revisedPrompt: "A red fox.", callId: "ig_1");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added",
                "response.image_generation_call.in_progress", "response.image_generation_call.generating",
                "response.image_generation_call.partial_image", "response.image_generation_call.partial_image",
                "response.image_generation_call.completed", "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Type));
        JsonAssert.Equal("""{"id":"ig_1","type":"image_generation_call","status":"in_progress","result":null}""", events[2].Json.GetProperty("item"));
        JsonAssert.Equal("""{"type":"response.image_generation_call.partial_image","sequence_number":5,"item_id":"ig_1","output_index":0,"partial_image_index":0,"partial_image_b64":"UDE="}""", events[5].Data);
        Assert.Equal(1, events[6].Json.GetProperty("partial_image_index").GetInt32());
        Assert.Equal("UDI=", events[6].Json.GetProperty("partial_image_b64").GetString());
        JsonAssert.Equal("""{"id":"ig_1","type":"image_generation_call","status":"completed","output_format":"png","result":"RklOQUw=","revised_prompt":"A red fox."}""", events[8].Json.GetProperty("item"));
    }

    [Fact]
    public void RenderStream_McpCallAndApprovalRequest_SendItemsAndEvents()
    {
        var reply = new EmulatorReply()
            .AddMcpCall("deepwiki", "ask_question", """{"q":"What?"}""", "A library.")
            .AddMcpCall("deepwiki", "read", "{}", "not found", isError: true, callId: "mcp_9")
            .AddMcpApprovalRequest("mcpr_1", "deepwiki", "delete", """{"path":"/"}""");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.mcp_call.in_progress", "response.mcp_call_arguments.delta", "response.mcp_call_arguments.delta",
                "response.mcp_call_arguments.done", "response.mcp_call.completed", "response.output_item.done",
                "response.output_item.added", "response.mcp_call.in_progress", "response.mcp_call_arguments.delta", "response.mcp_call_arguments.delta",
                "response.mcp_call_arguments.done", "response.mcp_call.failed", "response.output_item.done",
                "response.output_item.added", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Type));
        JsonAssert.Equal("""{"id":"mcp_emu_1","type":"mcp_call","status":"in_progress","server_label":"deepwiki","name":"ask_question","arguments":"","output":null,"error":null}""", events[2].Json.GetProperty("item"));
        Assert.Equal("""{"q":"What?"}""", string.Concat(events[4..6].Select(e => e.Json.GetProperty("delta").GetString())));
        Assert.Equal("""{"q":"What?"}""", events[6].Json.GetProperty("arguments").GetString());
        JsonAssert.Equal("""{"id":"mcp_emu_1","type":"mcp_call","status":"completed","server_label":"deepwiki","name":"ask_question","arguments":"{\"q\":\"What?\"}","output":"A library.","error":null}""", events[8].Json.GetProperty("item"));
        JsonAssert.Equal("""{"id":"mcp_9","type":"mcp_call","status":"failed","server_label":"deepwiki","name":"read","arguments":"{}","output":null,"error":"not found"}""", events[15].Json.GetProperty("item"));
        var approval = """{"id":"mcpr_1","type":"mcp_approval_request","server_label":"deepwiki","name":"delete","arguments":"{\"path\":\"/\"}"}""";
        JsonAssert.Equal(approval, events[16].Json.GetProperty("item"));
        JsonAssert.Equal(approval, events[17].Json.GetProperty("item"));
        Assert.Equal("completed", events[^1].Json.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(3, JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("output").GetArrayLength());
    }

    [Fact]
    public void Render_RawItem_IsSentAsScriptedInItsPlace()
    {
        const string Compaction = """
            {"type": "compaction", "id": "cmp_1",
             "encrypted_content": "opaque=="}
            """;
        var reply = new EmulatorReply().AddText("Before.").AddRawItem(Compaction).AddText("After.");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));
        var output = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("output");

        var raw = events.Where(e => e.Type.StartsWith("response.output_item.", StringComparison.Ordinal) && e.Json.GetProperty("output_index").GetInt32() == 1).ToList();
        Assert.Equal(["response.output_item.added", "response.output_item.done"], raw.Select(e => e.Type));
        Assert.Equal(raw[0].Json.GetProperty("sequence_number").GetInt32() + 1, raw[1].Json.GetProperty("sequence_number").GetInt32());
        Assert.All(raw, e => JsonAssert.Equal(Compaction, e.Json.GetProperty("item")));
        Assert.Equal(3, output.GetArrayLength());
        JsonAssert.Equal(Compaction, output[1]);
        Assert.Equal(["msg_item_emu_1", "msg_item_emu_2"], new[] { output[0], output[2] }.Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public void HostedParts_WebSearchCitedTextAndRawItem_AreThreeOutputItemsOfTheirTypes()
    {
        var response = JsonElement.Parse(Wire.RenderCompletion(EmulatorReplyHostedToolsTests.HostedParts()));

        Assert.Equal(["web_search_call", "message", "compaction"], response.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
    }
}
