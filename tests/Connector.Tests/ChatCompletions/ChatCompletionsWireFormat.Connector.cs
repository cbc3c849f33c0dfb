using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.Storage;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests;

/// <summary>The Chat Completions kit's part that Connector.Tests compiles: the emulator's rendering, and what the client makes of it.</summary>
public sealed partial class ChatCompletionsWireFormat
{
    /// <summary>The name <see cref="TypesIn"/> gives a body that carries reasoning back in either of its fields.</summary>
    private const string ReasoningFields = "(reasoning)";

    private static readonly string[] Hostile =
    [
        "{\"choices\":[{\"delta\":{\"content\":\"INJECTED\",\"tool_calls\":[{\"id\":\"INJECTED\",\"function\":{\"name\":\"INJECTED\"}}]}}]}",
        "{\"id\":\"INJECTED\",\"model\":\"INJECTED\",\"created\":{\"id\":\"INJECTED\"},\"choices\":[]}",
        "{\"function\":{\"name\":\"INJECTED\",\"arguments\":\"{}\"},\"id\":\"INJECTED\"}",
        "[{\"content\":\"INJECTED\"},\"INJECTED\",[{\"id\":\"INJECTED\"}]]",
        "{\"message\":{\"content\":\"INJECTED\"},\"text\":\"INJECTED\"}",
        "{\"delta\":{\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://INJECTED/\",\"title\":\"INJECTED\"}}]},\"url_citation\":{\"url\":\"https://INJECTED/\"}}",
        "true", "null", "[]", "{}",
    ];

    private static readonly string[] Lines =
    [
        "event: error", "event: message_stop", "data: [DONE]", "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}",
        "data: {\"error\":null}", "data: {\"error\":5}",
        "data: {\"choices\":[{\"index\":0,\"finish_reason\":\" \"}]}", "data: {\"choices\":[{\"index\":0,\"finish_reason\":\"\\t\"}]}",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":99999999999,\"function\":{\"arguments\":\"{\"}}]}}]}",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"\\ud800\"}}]}}]}",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":{\"x\":1}}}]}}]}",
        "data: {\"choices\":[null,1,\"x\",{\"delta\":{\"content\":\"late\"}}]}", "data: {\"usage\":{\"prompt_tokens\":-5,\"x\":{\"y\":{\"z\":1}}}}",
        "data: {\"created\":-99999999999999,\"model\":\"\",\"id\":\"\"}", "data: {\"choices\":[{\"delta\":{\"reasoning_details\":[{\"data\":\"enc\"},5,null]}}]}",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://example.com/\",\"title\":\"t\",\"start_index\":0,\"end_index\":99999999999}}]}}]}",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"not a url\",\"start_index\":-1,\"end_index\":\"x\"}},5,null]}}]}",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"annotations\":5}}]}",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":5}]}}]}",
    ];

    /// <inheritdoc />
    internal override IProtocolRenderer Renderer => ChatCompletionsRenderer.Instance;

    /// <inheritdoc />
    /// <remarks>The data line <c>[DONE]</c>.</remarks>
    internal override string TerminalMarker => "[DONE]";

    /// <inheritdoc />
    /// <remarks>The role chunk <c>{"role":"assistant","content":""}</c>.</remarks>
    internal override int EventsBeforeText => 1;

    /// <inheritdoc />
    /// <remarks>The role chunk yields an update of its own.</remarks>
    internal override int UpdatesBeforeText => 1;

    /// <inheritdoc />
    internal override bool ErrorsCarryCode => true;

    /// <inheritdoc />
    /// <remarks>Numbers, booleans and objects are refused; an array is content parts.</remarks>
    internal override bool RejectsAsText(string json, bool asReasoning) => !json.StartsWith('[');

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
    /// <remarks>Every count has its field; cache creation has none and is left out.</remarks>
    internal override UsageDetails ExpectedUsage(FuzzUsage usage) => new()
    {
        InputTokenCount = usage.Input,
        OutputTokenCount = usage.Output,
        TotalTokenCount = usage.Input + usage.Output,
        CachedInputTokenCount = usage.Cached,
        ReasoningTokenCount = usage.Reasoning,
    };

    /// <inheritdoc />
    /// <remarks>Chat Completions has no hosted tool calls and no container for unknown blocks: the emulator leaves them all out.</remarks>
    internal override ExpectedHosted ExpectHosted(HostedSpec part) => ExpectedHosted.None;

    /// <inheritdoc />
    /// <remarks>The emulator leaves it out: Chat Completions has no place for it.</remarks>
    internal override string UnknownBlock => """{"type":"compaction","id":"cmp_1","encrypted_content":"cmp-secret"}""";

    /// <inheritdoc />
    /// <remarks>Annotations come after the text.</remarks>
    internal override bool CitationsHoldTheStreamedText => false;

    /// <inheritdoc />
    /// <remarks>A <c>url_citation</c> names its <c>start_index</c> and <c>end_index</c>.</remarks>
    internal override bool CitesBySnippet => false;

    /// <inheritdoc />
    internal override void AssertProtocolHeaders(RecordedRequest request, string apiKey)
    {
        Assert.Equal("Bearer " + apiKey, request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("x-api-key"), "Chat Completions sends the key only as a bearer token");
    }

    /// <inheritdoc />
    internal override void AssertStreamingFields(JsonElement body) =>
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());

    /// <inheritdoc />
    /// <remarks>The one assistant message of <c>choices[0]</c>.</remarks>
    internal override IReadOnlyList<JsonElement> RenderedItems(EmulatorReply reply) =>
        [JsonElement.Parse(RenderCompletion(reply)).GetProperty("choices")[0].GetProperty("message")];

    /// <inheritdoc />
    /// <remarks>The assistant messages.</remarks>
    internal override IReadOnlyList<JsonElement> SentAssistantTurn(JsonElement body) =>
        [.. body.GetProperty("messages").EnumerateArray().Where(message => message.GetProperty("role").GetString() == "assistant")];

    /// <inheritdoc />
    /// <remarks><c>web_search_options</c>, and no function tool.</remarks>
    internal override void AssertHostedWebSearchSent(JsonElement body)
    {
        Assert.Equal(JsonValueKind.Object, body.GetProperty("web_search_options").ValueKind);
        Assert.False(body.TryGetProperty("tools", out _), "a web search is no function tool");
    }

    /// <inheritdoc />
    /// <remarks>Chat Completions has no hosted MCP tool.</remarks>
    internal override void AssertHostedMcpServerSent(RecordedRequest request) =>
        throw new NotSupportedException("Chat Completions has no hosted MCP tool.");

    /// <inheritdoc />
    internal override string ErrorBody(string messageJson, string typeJson, string? codeJson) =>
        "{\"error\":{\"message\":\"" + messageJson + "\",\"type\":\"" + typeJson + "\",\"code\":" + (codeJson is null ? "null" : "\"" + codeJson + "\"") + ",\"param\":null}}";

    /// <inheritdoc />
    internal override string ErrorEventStream(string messageJson, string typeJson) =>
        "data: {\"error\":{\"message\":\"" + messageJson + "\",\"type\":\"" + typeJson + "\",\"code\":null}}\n\n";

    /// <inheritdoc />
    /// <remarks>One chunk per call, then the finish reason and <c>[DONE]</c>.</remarks>
    internal override string ManyToolCallsStream(int calls)
    {
        var sse = new StringBuilder();
        for (var i = 0; i < calls; i++)
        {
            sse.Append("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":").Append(i)
                .Append(",\"id\":\"call_").Append(i).Append("\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\n");
        }

        sse.Append("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n");
        return sse.ToString();
    }

    /// <inheritdoc />
    /// <remarks>The fields of the messages: content, reasoning in either field, the calls and the results.</remarks>
    internal override IReadOnlyList<string> RichReplyCarriedBack => ["content", ReasoningFields, "tool_calls", "tool_call_id"];

    /// <inheritdoc />
    internal override IReadOnlyList<string> RichReplyMarks => ["srvtoolu_7", StoredHistoryData.Signature, "sig-raw-1", "\"reasoning_details\""];

    /// <inheritdoc />
    internal override IReadOnlySet<string> TypesIn(JsonElement body)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            types.UnionWith(message.EnumerateObject().Select(p => p.Name));
        }

        // Reasoning goes back as reasoning_content, or verbatim as reasoning_details where the server sent those.
        if (types.Contains("reasoning_content") || types.Contains("reasoning_details"))
        {
            types.Add(ReasoningFields);
        }

        return types;
    }

    /// <inheritdoc />
    /// <remarks>The <c>id</c> of the first chunk.</remarks>
    internal override string StreamedId(IReadOnlyList<RenderedEvent> events) => events[0].Json.GetProperty("id").GetString()!;

    /// <inheritdoc />
    /// <remarks>The <c>content</c> of the chunks' deltas.</remarks>
    internal override string StreamedText(IEnumerable<RenderedEvent> events) =>
        string.Concat(events
            .Where(e => e.Data != TerminalMarker && e.Json.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0)
            .Select(e => e.Json.GetProperty("choices")[0].GetProperty("delta"))
            .Select(delta => delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString() : null));

    /// <inheritdoc />
    internal override string CompletionId(JsonElement completion) => completion.GetProperty("id").GetString()!;

    /// <inheritdoc />
    /// <remarks>The <c>content</c> of the message of <c>choices[0]</c>.</remarks>
    internal override string CompletionText(JsonElement completion) =>
        completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString() ?? string.Empty;
}
