using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The OpenAI Responses wire format, rendered by the emulator's own renderer.</summary>
public sealed class ResponsesWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly ResponsesWireFormat Instance = new();

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
    public override YuHuanProtocol Protocol => YuHuanProtocol.Responses;

    /// <inheritdoc />
    internal override IProtocolRenderer Renderer => ResponsesRenderer.Instance;

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
    /// <remarks>
    /// A response ends <c>completed</c> (read as ToolCalls when it made a function call, else Stop) or <c>incomplete</c>
    /// with its reason (Length, ContentFilter, or the server's own): "none", "stop" and "tool_calls" are not on the wire.
    /// </remarks>
    internal override string? FinishReasonRead(string? scripted, bool hasCalls) =>
        scripted is null or "stop" or "tool_calls" ? (hasCalls ? "tool_calls" : "stop") : scripted;

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
    internal override string KeptProtocolName => "Responses";

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
}
