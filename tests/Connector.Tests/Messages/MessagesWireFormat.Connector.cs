using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.Storage;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests;

/// <summary>The Anthropic Messages kit's part that Connector.Tests compiles: the emulator's rendering, and what the client makes of it.</summary>
public sealed partial class MessagesWireFormat
{
    /// <summary>
    /// Objects whose members are the protocol's own (a text delta, a tool_use block, a message with ids and content)
    /// nested one level down, so where an object belongs (a <c>message</c>, <c>content_block</c>, <c>delta</c> or
    /// <c>usage</c>) its members are unknown fields, and where a scalar belongs the value is of the wrong type.
    /// </summary>
    private static readonly string[] Hostile =
    [
        "{\"delta\":{\"type\":\"text_delta\",\"text\":\"INJECTED\",\"thinking\":\"INJECTED\"},\"content_block\":{\"type\":\"tool_use\",\"id\":\"INJECTED\",\"name\":\"INJECTED\",\"input\":{}},\"message\":{\"id\":\"INJECTED\",\"model\":\"INJECTED\"}}",
        "{\"message\":{\"id\":\"INJECTED\",\"content\":[{\"type\":\"text\",\"text\":\"INJECTED\"},{\"type\":\"tool_use\",\"id\":\"INJECTED\",\"name\":\"INJECTED\",\"input\":{}}]},\"index\":{\"index\":\"0\"}}",
        "{\"content_block\":{\"type\":\"text\",\"text\":\"INJECTED\"},\"usage\":{\"output_tokens\":\"INJECTED\"}}",
        "{\"error\":{\"type\":\"overloaded_error\",\"message\":\"INJECTED\"},\"type\":\"INJECTED\"}",
        "[{\"delta\":{\"text\":\"INJECTED\"}},\"INJECTED\",[{\"type\":\"text\",\"text\":\"INJECTED\"}]]",
        "{\"content_block\":{\"type\":\"mcp_tool_use\",\"id\":\"INJECTED\",\"name\":\"INJECTED\",\"server_name\":\"INJECTED\",\"input\":{}},\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"web_search_result_location\",\"url\":\"https://INJECTED/\",\"title\":\"INJECTED\",\"cited_text\":\"INJECTED\"}},\"tool_use_id\":{\"tool_use_id\":\"INJECTED\"}}",
        "true", "null", "[]", "{}",
    ];

    private static readonly string[] Lines =
    [
        "event: error", "event: message_stop", "event: ping", "event: content_block_stop", "event: message_start",
        "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"boom\"}}", "data: {\"type\":\"error\",\"error\":5}",
        "data: {\"type\":\"message_stop\"}", "data: {\"type\":\"ping\"}", "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_spliced\",\"model\":\"m\"}}",
        "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\" \"},\"usage\":{\"output_tokens\":-5,\"x\":{\"y\":{\"z\":1}}}}",
        "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"\\t\"}}",
        "data: {\"type\":\"content_block_delta\",\"index\":99999999999,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\ud800\"}}",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":5}}",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":{\"a\":1}}}",
        "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"char_location\",\"cited_text\":\"x\"}}}",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"input\":\"not an object\"}}",
        "data: {\"type\":\"content_block_start\",\"index\":7,\"content_block\":{\"type\":\"tool_use\",\"id\":\"\",\"name\":\"\",\"input\":{\"x\":1}}}",
        "data: {\"type\":\"content_block_stop\",\"index\":7}", "data: {\"type\":\"content_block_stop\",\"index\":-1}",
        "data: {\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"compaction\",\"content\":null}}",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":5}}",
        "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"thinking\",\"thinking\":[],\"signature\":\"\"}}",
        "event: content_block_start",
        "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_x\",\"name\":\"web_search\",\"input\":{}}}",
        "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"name\":\"code_execution\",\"input\":\"code\"}}",
        "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\":\\\"q\"}}",
        "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"inside a server tool\"}}",
        "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_x\",\"content\":{\"type\":\"web_search_tool_result_error\",\"error_code\":\"max_uses_exceeded\"}}}",
        "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"\",\"content\":[{\"type\":\"web_search_result\",\"url\":\"not a url\",\"title\":5},7,null]}}",
        "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"web_fetch_tool_result\",\"tool_use_id\":\"srvtoolu_x\",\"content\":{\"type\":\"web_fetch_result\",\"url\":\"https://example.com/\",\"content\":null}}}",
        "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"code_execution_tool_result\",\"tool_use_id\":\"srvtoolu_x\",\"content\":{\"type\":\"code_execution_tool_result_error\",\"error_code\":\"unavailable\"}}}",
        "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"bash_code_execution_tool_result\",\"tool_use_id\":\"srvtoolu_x\",\"content\":{\"stdout\":5,\"stderr\":null,\"content\":[{\"file_id\":\"f\"},1]}}}",
        "data: {\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"mcp_tool_use\",\"id\":\"mcptoolu_x\",\"name\":5,\"server_name\":{},\"input\":{}}}",
        "data: {\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"mcp_tool_result\",\"tool_use_id\":\" \",\"is_error\":\"yes\",\"content\":\"failed\"}}",
        "data: {\"type\":\"content_block_start\",\"index\":4,\"content_block\":{\"type\":\"x_future_block\",\"data\":{\"type\":\"text\",\"text\":\"not text\"}}}",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\",\"citations\":5}}",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":5}}",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"web_search_result_location\",\"url\":\"https://example.com/\",\"title\":null,\"cited_text\":{\"a\":1}}}}",
    ];

    /// <inheritdoc />
    internal override IProtocolRenderer Renderer => MessagesRenderer.Instance;

    /// <inheritdoc />
    /// <remarks>The <c>message_stop</c> event.</remarks>
    internal override string TerminalMarker => "message_stop";

    /// <inheritdoc />
    /// <remarks><c>message_start</c>, <c>ping</c> and the text block's <c>content_block_start</c>.</remarks>
    internal override int EventsBeforeText => 3;

    /// <inheritdoc />
    /// <remarks>None of them carries content, so none yields an update.</remarks>
    internal override int UpdatesBeforeText => 0;

    /// <inheritdoc />
    /// <remarks><c>{"type":"error","error":{"type","message"}}</c>.</remarks>
    internal override bool ErrorsCarryCode => false;

    /// <inheritdoc />
    internal override bool RejectsAsText(string json, bool asReasoning) => asReasoning || !json.StartsWith('[');

    /// <inheritdoc />
    internal override IReadOnlyList<string> HostileValues => Hostile;

    /// <inheritdoc />
    internal override IReadOnlyList<string> InterestingLines => Lines;

    /// <inheritdoc />
    internal override IReadOnlyList<string> ProtocolHeaders => ["anthropic-version"];

    /// <inheritdoc />
    /// <remarks>Anthropic's own header, and the bearer form gateways in front of it accept.</remarks>
    internal override IReadOnlyDictionary<string, string> KeyHeaders(string apiKey) =>
        new Dictionary<string, string> { ["x-api-key"] = apiKey, ["Authorization"] = "Bearer " + apiKey };

    /// <inheritdoc />
    /// <remarks>
    /// Input is <c>input_tokens + cache_read_input_tokens + cache_creation_input_tokens</c>, cached input
    /// <c>cache_read_input_tokens</c>, cache creation an additional count; there is no field for reasoning tokens.
    /// </remarks>
    internal override UsageDetails ExpectedUsage(FuzzUsage usage) => new()
    {
        InputTokenCount = usage.Input,
        OutputTokenCount = usage.Output,
        TotalTokenCount = usage.Input + usage.Output,
        CachedInputTokenCount = usage.Cached,
        AdditionalCounts = new() { ["cache_creation_input_tokens"] = usage.CacheCreation },
    };

    /// <inheritdoc />
    /// <remarks>
    /// A <c>server_tool_use</c> block and its <c>*_tool_result</c> block, both kept (a web fetch has no content type: both are
    /// plain contents); <c>mcp_tool_use</c> and, with a result, <c>mcp_tool_result</c>; a raw block as it came. No file
    /// search, approval requests or image generation.
    /// </remarks>
    internal override ExpectedHosted ExpectHosted(HostedSpec part) => part.Kind switch
    {
        HostedKind.WebSearch => new(1, 1, 0, ["server_tool_use", "web_search_tool_result"]),
        HostedKind.WebFetch => new(0, 0, 0, ["server_tool_use", "web_fetch_tool_result"]),
        HostedKind.CodeExecution => new(1, 1, 0, ["server_tool_use", "code_execution_tool_result"]),
        HostedKind.BashExecution => new(1, 1, 0, ["server_tool_use", "bash_code_execution_tool_result"]),
        HostedKind.McpCall => new(1, 1, 0, ["mcp_tool_use", "mcp_tool_result"]),
        HostedKind.McpCallWithoutResult => new(1, 0, 0, ["mcp_tool_use"]),
        HostedKind.Raw => new(0, 0, 0, [part.RawType]),
        _ => ExpectedHosted.None,
    };

    /// <inheritdoc />
    internal override string UnknownBlock => """{"type":"compaction","content":"cmp-secret summary of the earlier turns"}""";

    /// <inheritdoc />
    internal override bool IsTextItem(JsonElement item) => TypeOf(item) == "text";

    /// <inheritdoc />
    /// <remarks>A <c>web_fetch_tool_result</c> without its <c>retrieved_at</c>: the emulator dates a fetched page with the time it answers.</remarks>
    internal override string ComparableItem(JsonElement item)
    {
        var node = JsonNode.Parse(item.GetRawText())!.AsObject();
        if (TypeOf(item) == "web_fetch_tool_result")
        {
            var result = node["content"]!.AsObject();
            Assert.True(DateTimeOffset.TryParse(result["retrieved_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _), "a fetch result carries its time");
            result.Remove("retrieved_at");
        }

        return node.ToJsonString();
    }

    /// <inheritdoc />
    /// <remarks>A cited block's streamed text is held to its <c>content_block_stop</c>, so its citation lands on the whole text.</remarks>
    internal override bool CitationsHoldTheStreamedText => true;

    /// <inheritdoc />
    /// <remarks>A <c>web_search_result_location</c> carries its <c>cited_text</c>.</remarks>
    internal override bool CitesBySnippet => true;

    /// <inheritdoc />
    internal override void AssertProtocolHeaders(RecordedRequest request, string apiKey)
    {
        Assert.Equal(apiKey, request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    /// <inheritdoc />
    internal override void AssertStreamingFields(JsonElement body)
    {
        Assert.True(body.GetProperty("max_tokens").GetInt32() > 0, "Messages requires max_tokens");
        Assert.False(body.TryGetProperty("stream_options", out _), "stream_options is not this protocol's field");
    }

    /// <inheritdoc />
    /// <remarks>The <c>content</c> blocks of the message.</remarks>
    internal override IReadOnlyList<JsonElement> RenderedItems(EmulatorReply reply) =>
        [.. JsonElement.Parse(RenderCompletion(reply)).GetProperty("content").EnumerateArray()];

    /// <inheritdoc />
    /// <remarks>The blocks of the assistant messages, a string content read as one text block.</remarks>
    internal override IReadOnlyList<JsonElement> SentAssistantTurn(JsonElement body) =>
        [.. body.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "assistant")
            .SelectMany<JsonElement, JsonElement>(m => m.GetProperty("content").ValueKind == JsonValueKind.Array
                ? m.GetProperty("content").EnumerateArray()
                : [JsonElement.Parse(new JsonObject { ["type"] = "text", ["text"] = m.GetProperty("content").GetString() }.ToJsonString())])];

    /// <inheritdoc />
    internal override void AssertHostedWebSearchSent(JsonElement body)
    {
        var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
        Assert.Equal(("web_search_20250305", "web_search"), (tool.GetProperty("type").GetString(), tool.GetProperty("name").GetString()));
    }

    /// <inheritdoc />
    /// <remarks>An <c>mcp_servers</c> entry, and the MCP beta feature.</remarks>
    internal override void AssertHostedMcpServerSent(RecordedRequest request)
    {
        Assert.Contains("mcp-client-2025-04-04", request.Headers["anthropic-beta"], StringComparison.Ordinal);
        var server = Assert.Single(request.Json.GetProperty("mcp_servers").EnumerateArray());
        Assert.Equal(("url", "https://mcp.example.com/sse", "docs"), (server.GetProperty("type").GetString(), server.GetProperty("url").GetString(), server.GetProperty("name").GetString()));
        Assert.Equal("search_docs", Assert.Single(server.GetProperty("tool_configuration").GetProperty("allowed_tools").EnumerateArray()).GetString());
    }

    /// <inheritdoc />
    /// <remarks>Messages errors have no code; a proxy in front may add one, which the client reads all the same.</remarks>
    internal override string ErrorBody(string messageJson, string typeJson, string? codeJson) =>
        "{\"type\":\"error\",\"error\":{\"type\":\"" + typeJson + "\",\"message\":\"" + messageJson + "\"" + (codeJson is null ? string.Empty : ",\"code\":\"" + codeJson + "\"") + "},\"request_id\":\"req_1\"}";

    /// <inheritdoc />
    internal override string ErrorEventStream(string messageJson, string typeJson) =>
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"" + typeJson + "\",\"message\":\"" + messageJson + "\"}}\n\n";

    /// <inheritdoc />
    /// <remarks>A <c>tool_use</c> block started and stopped per call, between <c>message_start</c> and <c>message_delta</c>.</remarks>
    internal override string ManyToolCallsStream(int calls)
    {
        var sse = new StringBuilder();
        sse.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"usage\":{\"input_tokens\":1}}}\n\n");
        for (var i = 0; i < calls; i++)
        {
            sse.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").Append(i)
                .Append(",\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_").Append(i).Append("\",\"name\":\"f\",\"input\":{}}}\n\n")
                .Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").Append(i).Append("}\n\n");
        }

        sse.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":1}}\n\n")
            .Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sse.ToString();
    }

    /// <inheritdoc />
    internal override IReadOnlyList<string> RichReplyCarriedBack =>
    [
        "thinking", "redacted_thinking", "server_tool_use", "web_search_tool_result", "text", "web_fetch_tool_result",
        "code_execution_tool_result", "bash_code_execution_tool_result", "mcp_tool_use", "mcp_tool_result", "compaction",
        "tool_use", "tool_result",
    ];

    /// <inheritdoc />
    internal override IReadOnlyList<string> RichReplyMarks => ["summarizer-7", "en-gb-7", "srvtoolu_7", StoredHistoryData.Signature, "sig-raw-1", "\"citations\""];

    private static string? TypeOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) ? type.GetString() : null;

    /// <inheritdoc />
    /// <remarks>The types of the content blocks of every message.</remarks>
    internal override IReadOnlySet<string> TypesIn(JsonElement body) =>
        body.GetProperty("messages").EnumerateArray().SelectMany(m => m.GetProperty("content").EnumerateArray()).Select(block => block.GetProperty("type").GetString()!).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>The message's <c>id</c> in <c>message_start</c>.</remarks>
    internal override string StreamedId(IReadOnlyList<RenderedEvent> events) =>
        events[0].Type == "message_start" ? events[0].Json.GetProperty("message").GetProperty("id").GetString()! : throw new InvalidDataException($"The stream starts with {events[0].Type}, not message_start.");

    /// <inheritdoc />
    /// <remarks>The <c>text_delta</c>s of <c>content_block_delta</c> events.</remarks>
    internal override string StreamedText(IEnumerable<RenderedEvent> events) =>
        string.Concat(events
            .Where(e => e.Type == "content_block_delta" && e.Json.GetProperty("delta").GetProperty("type").GetString() == "text_delta")
            .Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));

    /// <inheritdoc />
    internal override string CompletionId(JsonElement completion) => completion.GetProperty("id").GetString()!;

    /// <inheritdoc />
    /// <remarks>The <c>text</c> blocks of the message's <c>content</c>.</remarks>
    internal override string CompletionText(JsonElement completion) =>
        string.Concat(completion.GetProperty("content").EnumerateArray().Where(IsTextItem).Select(block => block.GetProperty("text").GetString()));
}
