using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The Chat Completions wire format, rendered by the emulator's own renderer.</summary>
public sealed class ChatCompletionsWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly ChatCompletionsWireFormat Instance = new();

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
    public override YuHuanProtocol Protocol => YuHuanProtocol.ChatCompletions;

    /// <inheritdoc />
    internal override IProtocolRenderer Renderer => ChatCompletionsRenderer.Instance;

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
    internal override string KeptProtocolName => "Chat Completions";

    /// <inheritdoc />
    /// <remarks>Chat Completions has no hosted tool calls and no container for unknown blocks: the emulator leaves them all out.</remarks>
    internal override ExpectedHosted ExpectHosted(HostedSpec part) => ExpectedHosted.None;
}
