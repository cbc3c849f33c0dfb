using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.Storage;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests;

/// <summary>The OpenAI Responses kit's part that Connector.Tests compiles: the emulator's rendering, and what the client makes of it.</summary>
public sealed partial class ResponsesWireFormat
{
    /// <summary>
    /// Objects whose members are the protocol's own (a delta, an output item, a response with ids, output and usage)
    /// nested one level down, so where an object belongs (an <c>item</c>, a <c>response</c>, a <c>usage</c>) its members
    /// are unknown fields, and where a scalar belongs the value is of the wrong type.
    /// </summary>
    private static readonly string[] Hostile =
    [
        "{\"item\":{\"type\":\"function_call\",\"id\":\"INJECTED\",\"call_id\":\"INJECTED\",\"name\":\"INJECTED\",\"arguments\":\"{}\"},\"delta\":{\"delta\":\"INJECTED\"},\"response\":{\"id\":\"INJECTED\",\"model\":\"INJECTED\"}}",
        "{\"response\":{\"id\":\"INJECTED\",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"INJECTED\"}]}]},\"output_index\":{\"output_index\":\"0\"}}",
        "{\"part\":{\"type\":\"output_text\",\"text\":\"INJECTED\"},\"usage\":{\"output_tokens\":\"INJECTED\"}}",
        "{\"error\":{\"type\":\"server_error\",\"code\":\"INJECTED\",\"message\":\"INJECTED\"},\"type\":\"INJECTED\"}",
        "[{\"delta\":\"INJECTED\"},\"INJECTED\",[{\"type\":\"output_text\",\"text\":\"INJECTED\"}]]",
        "{\"item\":{\"type\":\"mcp_call\",\"id\":\"INJECTED\",\"name\":\"INJECTED\",\"server_label\":\"INJECTED\"},\"annotation\":{\"type\":\"url_citation\",\"url\":\"https://INJECTED/\",\"title\":\"INJECTED\"},\"item_id\":{\"item_id\":\"INJECTED\"}}",
        "true", "null", "[]", "{}",
    ];

    private static readonly string[] Lines =
    [
        "event: error", "event: response.completed", "event: response.failed", "event: keepalive", "event: response.output_item.done",
        "data: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\",\"param\":null}",
        "data: {\"type\":\"error\",\"error\":{\"type\":\"server_error\",\"code\":\"boom\",\"message\":\"boom\"}}", "data: {\"type\":\"error\",\"error\":5}",
        "data: {\"type\":\"response.completed\"}", "data: {\"type\":\"response.completed\",\"response\":5}",
        "data: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}",
        "data: {\"type\":\"response.incomplete\",\"response\":{\"incomplete_details\":{\"reason\":\" \"},\"usage\":{\"input_tokens\":-5,\"x\":{\"y\":{\"z\":1}}}}}",
        "data: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_spliced\",\"model\":\"m\",\"created_at\":-99999999999999}}",
        "data: {\"type\":\"response.output_item.added\",\"output_index\":99999999999,\"item\":{\"type\":\"function_call\",\"call_id\":\"\",\"name\":\"\"}}",
        "data: {\"type\":\"response.function_call_arguments.delta\",\"output_index\":0,\"delta\":\"\\ud800\"}",
        "data: {\"type\":\"response.function_call_arguments.delta\",\"output_index\":-1,\"delta\":{\"x\":1}}",
        "data: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":5}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"type\":\"reasoning\",\"encrypted_content\":{\"a\":1}}}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":7,\"item\":{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"n\",\"arguments\":\"{\\\"x\\\":1}\"}}",
        "data: {\"type\":\"response.output_text.annotation.added\",\"output_index\":0,\"annotation\":{\"type\":\"url_citation\",\"url\":\"x\"}}",
        "data: {\"type\":\"response.output_item.added\",\"output_index\":3,\"item\":{\"type\":\"compaction\",\"content\":null}}",
        "data: {\"type\":\"response.image_generation_call.partial_image\",\"output_index\":2,\"partial_image_b64\":\"AAAA\"}",
        "event: response.web_search_call.searching",
        "data: {\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"id\":\"ws_x\",\"type\":\"web_search_call\",\"status\":\"in_progress\"}}",
        "data: {\"type\":\"response.web_search_call.searching\",\"output_index\":1,\"item_id\":\"ws_x\"}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"ws_x\",\"type\":\"web_search_call\",\"status\":\"completed\",\"action\":{\"type\":\"search\",\"query\":5,\"sources\":[{\"url\":\"not a url\"},5]}}}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"\",\"type\":\"web_search_call\",\"action\":\"open_page\"}}",
        "data: {\"type\":\"response.code_interpreter_call_code.delta\",\"output_index\":1,\"item_id\":\"ci_x\",\"delta\":5}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"ci_x\",\"type\":\"code_interpreter_call\",\"code\":{},\"outputs\":[{\"type\":\"image\",\"url\":\"data:image/png;base64,AAAA\"},{\"type\":\"image\",\"url\":\"data:bad\"},{\"type\":\"logs\",\"logs\":5}]}}",
        "data: {\"type\":\"response.mcp_call_arguments.delta\",\"output_index\":1,\"item_id\":\"mcp_x\",\"delta\":\"{\\\"a\\\":\"}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"mcp_x\",\"type\":\"mcp_call\",\"name\":\"t\",\"server_label\":5,\"arguments\":\"{not json\",\"error\":{\"message\":\"boom\"}}}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\" \",\"type\":\"mcp_approval_request\",\"name\":\"t\",\"arguments\":[]}}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"ig_x\",\"type\":\"image_generation_call\",\"result\":\"!!not base64\",\"output_format\":5}}",
        "data: {\"type\":\"response.image_generation_call.partial_image\",\"output_index\":1,\"item_id\":\"ig_x\",\"partial_image_index\":\"x\",\"partial_image_b64\":\"AAAA\"}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"fs_x\",\"type\":\"file_search_call\",\"queries\":5,\"results\":[null]}}",
        "data: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"type\":\"x_future_item\",\"content\":[{\"type\":\"output_text\",\"text\":\"not text\"}]}}",
        "data: {\"type\":\"response.output_text.annotation.added\",\"output_index\":0,\"content_index\":0,\"annotation_index\":-1,\"annotation\":5}",
        "data: {\"type\":\"response.output_text.annotation.added\",\"output_index\":0,\"content_index\":0,\"annotation\":{\"type\":\"url_citation\",\"url\":\"https://example.com/\",\"start_index\":99999999999,\"end_index\":-1}}",
        "data: {\"type\":\"response.output_text.annotation.added\",\"output_index\":0,\"content_index\":0,\"annotation\":{\"type\":\"file_citation\",\"file_id\":{},\"filename\":\"f\",\"index\":\"x\"}}",
    ];

    /// <inheritdoc />
    internal override IProtocolRenderer Renderer => ResponsesRenderer.Instance;

    /// <inheritdoc />
    /// <remarks>The <c>response.completed</c> event.</remarks>
    internal override string TerminalMarker => "response.completed";

    /// <inheritdoc />
    /// <remarks><c>response.created</c>, <c>response.in_progress</c>, the message's <c>output_item.added</c> and <c>content_part.added</c>.</remarks>
    internal override int EventsBeforeText => 4;

    /// <inheritdoc />
    /// <remarks>None of them carries content, so none yields an update.</remarks>
    internal override int UpdatesBeforeText => 0;

    /// <inheritdoc />
    internal override bool ErrorsCarryCode => true;

    /// <inheritdoc />
    /// <remarks>Real servers send the flat <c>{"type":"error","code","message","param"}</c>.</remarks>
    internal override bool ErrorEventsCarryType => false;

    /// <inheritdoc />
    internal override bool RejectsAsText(string json, bool asReasoning) => true;

    /// <inheritdoc />
    internal override IReadOnlyList<string> HostileValues => Hostile;

    /// <inheritdoc />
    internal override IReadOnlyList<string> InterestingLines => Lines;

    /// <inheritdoc />
    internal override IReadOnlyList<string> ProtocolHeaders => [];

    /// <inheritdoc />
    internal override IReadOnlyDictionary<string, string> KeyHeaders(string apiKey) =>
        new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey };

    /// <inheritdoc />
    /// <remarks><c>input_tokens</c> includes the cached ones (<c>input_tokens_details.cached_tokens</c>); reasoning tokens are in <c>output_tokens_details</c>; cache creation has no field.</remarks>
    internal override UsageDetails ExpectedUsage(FuzzUsage usage) => new()
    {
        InputTokenCount = usage.Input,
        OutputTokenCount = usage.Output,
        TotalTokenCount = usage.Input + usage.Output,
        CachedInputTokenCount = usage.Cached,
        ReasoningTokenCount = usage.Reasoning,
    };

    /// <inheritdoc />
    /// <remarks>
    /// One kept item per part: its call content (a plain content for a file search, an approval request for
    /// <c>mcp_approval_request</c>) and a result content where the item holds one (a web search's sources, a code
    /// interpreter's outputs, an MCP output or error, each partial image and the final image).
    /// </remarks>
    internal override ExpectedHosted ExpectHosted(HostedSpec part) => part.Kind switch
    {
        HostedKind.WebSearch => new(1, 1, 0, ["web_search_call"]),
        HostedKind.WebFetch => new(1, 0, 0, ["web_search_call"]),
        HostedKind.FileSearch => new(0, 0, 0, ["file_search_call"]),
        HostedKind.CodeExecution or HostedKind.BashExecution => new(1, 1, 0, ["code_interpreter_call"]),
        HostedKind.McpCall => new(1, 1, 0, ["mcp_call"]),
        HostedKind.McpCallWithoutResult => new(1, 0, 0, ["mcp_call"]),
        HostedKind.McpApproval => new(0, 0, 1, ["mcp_approval_request"]),
        HostedKind.ImageGeneration => new(1, 1 + part.PartialImages, 0, ["image_generation_call"]),
        HostedKind.Raw => new(0, 0, 0, [part.RawType]),
        _ => ExpectedHosted.None,
    };

    /// <inheritdoc />
    internal override bool HasBackgroundResponses => true;

    /// <inheritdoc />
    internal override string UnknownBlock => """{"type":"compaction","id":"cmp_1","encrypted_content":"cmp-secret"}""";

    /// <inheritdoc />
    /// <remarks><c>response.output_text.annotation.added</c> comes after the text's deltas.</remarks>
    internal override bool CitationsHoldTheStreamedText => false;

    /// <inheritdoc />
    /// <remarks>A <c>url_citation</c> names its <c>start_index</c> and <c>end_index</c>.</remarks>
    internal override bool CitesBySnippet => false;

    /// <inheritdoc />
    internal override bool IsTextItem(JsonElement item) => TypeOf(item) == "message";

    /// <inheritdoc />
    /// <remarks>A <c>message</c> item is rebuilt from its text.</remarks>
    internal override string? RebuiltText(JsonElement item) =>
        IsTextItem(item) ? string.Concat(item.GetProperty("content").EnumerateArray().Select(p => p.TryGetProperty("text", out var text) ? text.GetString() : string.Empty)) : null;

    private static string? TypeOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) ? type.GetString() : null;

    /// <inheritdoc />
    internal override void AssertProtocolHeaders(RecordedRequest request, string apiKey)
    {
        Assert.Equal("Bearer " + apiKey, request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    /// <inheritdoc />
    internal override void AssertStreamingFields(JsonElement body)
    {
        Assert.False(body.TryGetProperty("stream_options", out _), "stream_options is not this protocol's field");
        Assert.False(body.TryGetProperty("max_tokens", out _), "max_tokens is not a Responses field");
    }

    /// <inheritdoc />
    /// <remarks>The <c>output</c> items of the response.</remarks>
    internal override IReadOnlyList<JsonElement> RenderedItems(EmulatorReply reply) =>
        [.. JsonElement.Parse(RenderCompletion(reply)).GetProperty("output").EnumerateArray()];

    /// <inheritdoc />
    /// <remarks>The input items between the first and the last.</remarks>
    internal override IReadOnlyList<JsonElement> SentAssistantTurn(JsonElement body)
    {
        var input = body.GetProperty("input").EnumerateArray().ToList();
        return [.. input.Skip(1).Take(input.Count - 2)];
    }

    /// <inheritdoc />
    internal override void AssertHostedWebSearchSent(JsonElement body) =>
        Assert.Equal("web_search", Assert.Single(body.GetProperty("tools").EnumerateArray()).GetProperty("type").GetString());

    /// <inheritdoc />
    /// <remarks>An <c>mcp</c> tool.</remarks>
    internal override void AssertHostedMcpServerSent(RecordedRequest request)
    {
        var tool = Assert.Single(request.Json.GetProperty("tools").EnumerateArray());
        Assert.Equal(("mcp", "docs", "https://mcp.example.com/sse"), (tool.GetProperty("type").GetString(), tool.GetProperty("server_label").GetString(), tool.GetProperty("server_url").GetString()));
        Assert.Equal("never", tool.GetProperty("require_approval").GetString());
        Assert.Equal("search_docs", Assert.Single(tool.GetProperty("allowed_tools").EnumerateArray()).GetString());
    }

    /// <inheritdoc />
    internal override string ErrorBody(string messageJson, string typeJson, string? codeJson) =>
        "{\"error\":{\"message\":\"" + messageJson + "\",\"type\":\"" + typeJson + "\",\"param\":null,\"code\":" + (codeJson is null ? "null" : "\"" + codeJson + "\"") + "}}";

    /// <inheritdoc />
    /// <remarks>The nested shape of an <c>error</c> event, then the <c>response.failed</c> that real servers send after it.</remarks>
    internal override string ErrorEventStream(string messageJson, string typeJson) =>
        "event: error\ndata: {\"type\":\"error\",\"sequence_number\":0,\"error\":{\"type\":\"" + typeJson + "\",\"code\":null,\"message\":\"" + messageJson + "\"}}\n\n"
        + "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"" + typeJson + "\",\"message\":\"" + messageJson + "\"}}}\n\n";

    /// <inheritdoc />
    /// <remarks>A <c>function_call</c> item added and done per call, between <c>response.created</c> and <c>response.completed</c>.</remarks>
    internal override string ManyToolCallsStream(int calls)
    {
        var sse = new StringBuilder();
        sse.Append("event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"model\":\"m\",\"status\":\"in_progress\",\"output\":[]}}\n\n");
        for (var i = 0; i < calls; i++)
        {
            sse.Append("event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":").Append(i)
                .Append(",\"item\":{\"type\":\"function_call\",\"id\":\"fc_").Append(i).Append("\",\"call_id\":\"call_").Append(i).Append("\",\"name\":\"f\",\"arguments\":\"\"}}\n\n")
                .Append("event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":").Append(i)
                .Append(",\"item\":{\"type\":\"function_call\",\"id\":\"fc_").Append(i).Append("\",\"call_id\":\"call_").Append(i).Append("\",\"name\":\"f\",\"arguments\":\"{}\",\"status\":\"completed\"}}\n\n");
        }

        sse.Append("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"model\":\"m\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1,\"total_tokens\":2}}}\n\n");
        return sse.ToString();
    }

    /// <inheritdoc />
    internal override IReadOnlyList<string> RichReplyCarriedBack =>
    [
        "reasoning", "web_search_call", "message", "file_search_call", "code_interpreter_call", "mcp_call",
        "image_generation_call", "compaction", "function_call", "mcp_approval_request", "function_call_output",
        "mcp_approval_response",
    ];

    /// <inheritdoc />
    internal override IReadOnlyList<string> RichReplyMarks =>
        ["summarizer-7", "en-gb-7", "srvtoolu_7", StoredHistoryData.Signature, "sig-raw-1", "\"phase\":\"commentary\"", "\"annotations\"", "url_citation", "\"reasoning_text\""];

    /// <inheritdoc />
    /// <remarks>The types of the input items.</remarks>
    internal override IReadOnlySet<string> TypesIn(JsonElement body) =>
        body.GetProperty("input").EnumerateArray().Select(item => item.GetProperty("type").GetString()!).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>The response's <c>id</c> in <c>response.created</c>.</remarks>
    internal override string StreamedId(IReadOnlyList<RenderedEvent> events) =>
        events[0].Type == "response.created" ? events[0].Json.GetProperty("response").GetProperty("id").GetString()! : throw new InvalidDataException($"The stream starts with {events[0].Type}, not response.created.");

    /// <inheritdoc />
    /// <remarks>The <c>response.output_text.delta</c> events.</remarks>
    internal override string StreamedText(IEnumerable<RenderedEvent> events) =>
        string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString()));

    /// <inheritdoc />
    internal override string CompletionId(JsonElement completion) => completion.GetProperty("id").GetString()!;

    /// <inheritdoc />
    /// <remarks>The <c>output_text</c> parts of the <c>message</c> items of <c>output</c>.</remarks>
    internal override string CompletionText(JsonElement completion) =>
        string.Concat(completion.GetProperty("output").EnumerateArray().Select(RebuiltText));
}
