using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

#pragma warning disable MEAI001 // The hosted-tool content types are experimental.

namespace YuHuan.Connector.Tests.Responses;

/// <summary>Hosted-tool items of a Responses stream or complete response: mapped onto their content types and kept with their JSON.</summary>
public sealed class ResponsesHostedItemTests
{
    public const string WebSearch = """{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"weather in Paris","sources":[{"type":"url","url":"https://weather.example/paris"},{"type":"url","url":"https://news.example/fr"}]}}""";

    public const string CodeInterpreter = """{"id":"ci_1","type":"code_interpreter_call","status":"completed","code":"print(6*7)","container_id":"cntr_9","outputs":[{"type":"logs","logs":"42\n"},{"type":"image","url":"https://files.example/plot.png"}]}""";

    public const string McpCall = """{"id":"mcp_1","type":"mcp_call","server_label":"deepwiki","name":"ask_question","arguments":"{\"repo\":\"a/b\",\"question\":\"why?\"}","output":"Because.","error":null,"approval_request_id":null}""";

    public const string McpFailed = """{"id":"mcp_2","type":"mcp_call","server_label":"deepwiki","name":"ask_question","arguments":"{}","output":null,"error":{"type":"tool_error","message":"repository not found"}}""";

    public const string McpApproval = """{"id":"mcpr_1","type":"mcp_approval_request","server_label":"deepwiki","name":"delete_page","arguments":"{\"page\":\"Home\"}"}""";

    public const string ImageGeneration = """{"id":"ig_1","type":"image_generation_call","status":"completed","output_format":"png","revised_prompt":"a red circle","result":"AQIDBA=="}""";

    public const string FileSearch = """{"id":"fs_1","type":"file_search_call","status":"completed","queries":["refund policy"],"results":[{"file_id":"file_1","filename":"policy.pdf","score":0.9,"text":"Refunds within 30 days."}]}""";

    public const string Unknown = """{"id":"nw_1","type":"brand_new_item","status":"completed","payload":{"nested":[1,{"deep":true}],"text":"\u00e9"}}""";

    public static TheoryData<string> AllItems => [WebSearch, CodeInterpreter, McpCall, McpFailed, McpApproval, ImageGeneration, FileSearch, Unknown];

    [Fact]
    public void OnEvent_WebSearchCall_CallWithQueryAndResultWithSources()
    {
        var updates = Streamed(WebSearch);

        var call = Assert.Single(All<WebSearchToolCallContent>(updates));
        Assert.Equal("ws_1", call.CallId);
        Assert.Equal(["weather in Paris"], call.Queries!);
        AssertKept(WebSearch, call);
        var result = Assert.Single(All<WebSearchToolResultContent>(updates));
        Assert.Equal("ws_1", result.CallId);
        Assert.Equal(
            ["https://weather.example/paris", "https://news.example/fr"],
            result.Outputs!.Cast<UriContent>().Select(u => u.Uri.AbsoluteUri));
        Assert.Null(result.RawRepresentation);
    }

    [Fact]
    public void OnEvent_WebSearchCallWithoutSources_NoResult()
    {
        const string item = """{"id":"ws_2","type":"web_search_call","status":"completed","action":{"type":"search","queries":["a","b"]}}""";

        var updates = Streamed(item);

        Assert.Equal(["a", "b"], Assert.Single(All<WebSearchToolCallContent>(updates)).Queries!);
        Assert.Empty(All<WebSearchToolResultContent>(updates));
    }

    [Fact]
    public void OnEvent_CodeInterpreterCall_CodeContainerLogsAndImage()
    {
        var updates = Streamed(CodeInterpreter);

        var call = Assert.Single(All<CodeInterpreterToolCallContent>(updates));
        Assert.Equal("ci_1", call.CallId);
        var code = Assert.IsType<DataContent>(Assert.Single(call.Inputs!));
        Assert.Equal("text/x-python", code.MediaType);
        Assert.Equal("print(6*7)", Encoding.UTF8.GetString(code.Data.Span));
        Assert.Equal("cntr_9", call.AdditionalProperties![ResponsesHostedItems.ContainerIdKey]);
        AssertKept(CodeInterpreter, call);
        var result = Assert.Single(All<CodeInterpreterToolResultContent>(updates));
        Assert.Equal("42\n", Assert.IsType<TextContent>(result.Outputs![0]).Text);
        Assert.Equal("https://files.example/plot.png", Assert.IsType<UriContent>(result.Outputs[1]).Uri.AbsoluteUri);
    }

    [Fact]
    public void OnEvent_McpCall_CallWithArgumentsAndOutput()
    {
        var updates = Streamed(McpCall);

        var call = Assert.Single(All<McpServerToolCallContent>(updates));
        Assert.Equal(("mcp_1", "ask_question", "deepwiki"), (call.CallId, call.Name, call.ServerName));
        Assert.Equal("a/b", Assert.IsType<JsonElement>(call.Arguments!["repo"]).GetString());
        AssertKept(McpCall, call);
        var result = Assert.Single(All<McpServerToolResultContent>(updates));
        Assert.Equal("Because.", Assert.IsType<TextContent>(Assert.Single(result.Outputs!)).Text);
    }

    [Fact]
    public void OnEvent_McpCallFailed_ResultIsTheError()
    {
        var updates = Streamed(McpFailed);

        var result = Assert.Single(All<McpServerToolResultContent>(updates));
        Assert.Equal("repository not found", Assert.IsType<ErrorContent>(Assert.Single(result.Outputs!)).Message);
    }

    [Fact]
    public void OnEvent_McpApprovalRequest_ApprovalRequestWrappingTheCall()
    {
        var updates = Streamed(McpApproval);

        var request = Assert.Single(All<ToolApprovalRequestContent>(updates));
        Assert.Equal("mcpr_1", request.RequestId);
        var call = Assert.IsType<McpServerToolCallContent>(request.ToolCall);
        Assert.Equal(("delete_page", "deepwiki"), (call.Name, call.ServerName));
        Assert.Equal("Home", Assert.IsType<JsonElement>(call.Arguments!["page"]).GetString());
        AssertKept(McpApproval, request);
        Assert.Empty(All<McpServerToolCallContent>(updates));
    }

    [Fact]
    public void OnEvent_ImageGeneration_PartialImagesAsTheyArriveThenTheFinalImage()
    {
        var mapper = NewMapper();
        var updates = Push(
            mapper,
            Created(),
            Added(0, """{"id":"ig_1","type":"image_generation_call","status":"in_progress"}"""),
            """{"type":"response.image_generation_call.partial_image","output_index":0,"item_id":"ig_1","partial_image_index":0,"partial_image_b64":"AAE=","output_format":"png"}""");

        // The partial image is out before the item is done.
        var partial = Assert.Single(All<ImageGenerationToolResultContent>(updates));
        var first = Assert.IsType<DataContent>(Assert.Single(partial.Outputs!));
        Assert.Equal(new byte[] { 0, 1 }, first.Data.ToArray());
        Assert.Equal("image/png", first.MediaType);
        Assert.Equal(0, first.AdditionalProperties![ResponsesHostedItems.PartialImageIndexKey]);

        updates.AddRange(Feed(
            mapper,
            """{"type":"response.image_generation_call.partial_image","output_index":0,"item_id":"ig_1","partial_image_index":1,"partial_image_b64":"AAEC"}""",
            Done(0, ImageGeneration),
            Completed($"[{ImageGeneration}]")));

        var results = All<ImageGenerationToolResultContent>(updates);
        Assert.Equal(3, results.Count);
        Assert.Equal(new byte[] { 0, 1, 2 }, Assert.IsType<DataContent>(Assert.Single(results[1].Outputs!)).Data.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, Assert.IsType<DataContent>(Assert.Single(results[2].Outputs!)).Data.ToArray());
        Assert.All(results, r => Assert.Equal("ig_1", r.CallId));
        var call = Assert.Single(All<ImageGenerationToolCallContent>(updates));
        AssertKept(ImageGeneration, call);
    }

    [Fact]
    public void OnEvent_FileSearchCall_KeptAsItIs()
    {
        var updates = Streamed(FileSearch);

        var kept = Assert.Single(updates.SelectMany(u => u.Contents), c => c.RawRepresentation is not null);
        Assert.Equal(typeof(AIContent), kept.GetType());
        AssertKept(FileSearch, kept);
    }

    [Fact]
    public void OnEvent_UnknownItem_KeptAsItIs()
    {
        var updates = Streamed(Unknown);

        var kept = Assert.Single(updates.SelectMany(u => u.Contents), c => c.RawRepresentation is not null);
        Assert.Equal(typeof(AIContent), kept.GetType());
        AssertKept(Unknown, kept);
        Assert.Equal("Done.", updates.ToChatResponse().Text);
    }

    [Theory]
    [MemberData(nameof(AllItems))]
    public void ReadResponse_EveryItem_SameContentsAsStreamed(string item)
    {
        var streamed = Streamed(item).SelectMany(u => u.Contents).Where(c => c.AdditionalProperties?.ContainsKey(WireItems.ProtocolKey) == true).ToList();
        var complete = Read(ResponseObject(status: "completed", output: $"[{item},{MessageItem("msg_1", "completed", $"[{OutputText("Done.")}]")}]", usage: Usage))
            .SelectMany(u => u.Contents).Where(c => c.AdditionalProperties?.ContainsKey(WireItems.ProtocolKey) == true).ToList();

        Assert.NotEmpty(complete);
        Assert.Equal(streamed.Select(c => c.GetType()), complete.Select(c => c.GetType()));
        var kept = Assert.Single(complete, c => c.RawRepresentation is not null);
        AssertKept(item, kept);
    }

    [Fact]
    public void OnEvent_ItemOnlyInTheTerminalOutput_MappedOnce()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Searching."),
            Done(0, MessageItem("msg_1", "completed", $"[{OutputText("Searching.")}]")),
            Completed($"[{MessageItem("msg_1", "completed", $"[{OutputText("Searching.")}]")},{WebSearch}]"));

        AssertKept(WebSearch, Assert.Single(All<WebSearchToolCallContent>(updates)));
        Assert.Equal("Searching.", updates.ToChatResponse().Text);
    }

    [Fact]
    public void OnEvent_ItemDoneTwice_MappedOnce()
    {
        var updates = Feed(NewMapper(), Created(), Added(0, McpCall), Done(0, McpCall), Done(0, McpCall), Completed($"[{McpCall}]"));

        Assert.Single(All<McpServerToolCallContent>(updates));
        Assert.Single(All<McpServerToolResultContent>(updates));
    }

    [Fact]
    public void OnEvent_PartialImageNotBase64_Fails()
    {
        var mapper = NewMapper();
        Push(mapper, Created(), Added(0, """{"id":"ig_1","type":"image_generation_call","status":"in_progress"}"""));

        var ex = Assert.Throws<YuHuanApiException>(() => Push(mapper, """{"type":"response.image_generation_call.partial_image","output_index":0,"item_id":"ig_1","partial_image_index":0,"partial_image_b64":"@@not base64@@"}"""));

        Assert.Contains("base64", ex.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A stream of the item (added, done, in the terminal output too) after a message of text.</summary>
    internal static List<ChatResponseUpdate> Streamed(string item) => Feed(
        NewMapper(),
        Created(),
        Added(0, ItemShell(item)),
        Done(0, item),
        Added(1, MessageItem("msg_1")),
        TextDelta(1, "msg_1", "Done."),
        Done(1, MessageItem("msg_1", "completed", $"[{OutputText("Done.")}]")),
        Completed($"[{item},{MessageItem("msg_1", "completed", $"[{OutputText("Done.")}]")}]"));

    internal static void AssertKept(string itemJson, AIContent content)
    {
        Assert.Equal("Responses", WireItems.From(content));
        JsonAssert.Equal(itemJson, Assert.IsType<JsonElement>(content.RawRepresentation));
    }

    /// <summary>The item as <c>output_item.added</c> announces it: id and type only.</summary>
    private static string ItemShell(string item)
    {
        var element = JsonElement.Parse(item);
        return $$"""{"id":"{{element.GetProperty("id").GetString()}}","type":"{{element.GetProperty("type").GetString()}}","status":"in_progress"}""";
    }
}
