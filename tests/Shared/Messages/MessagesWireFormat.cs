using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests;

/// <summary>
/// The Anthropic Messages wire format: <c>system</c>, <c>messages[].content[]</c> blocks (<c>text</c>, <c>thinking</c>,
/// <c>redacted_thinking</c>, <c>tool_use</c>, <c>tool_result</c>), <c>max_tokens</c> and <c>stop_sequences</c>.
/// </summary>
public sealed partial class MessagesWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly MessagesWireFormat Instance = new();

    /// <inheritdoc />
    public override YuHuanProtocol Protocol => YuHuanProtocol.Messages;

    /// <inheritdoc />
    public override string Name => "Messages";

    /// <inheritdoc />
    public override string RelativePath => "messages";

    /// <inheritdoc />
    public override bool ReportsReasoningTokens => false;

    /// <inheritdoc />
    public override bool SendsReasoningSignaturesBack => true;

    /// <inheritdoc />
    public override bool KeepsUnmappedFields => true;

    /// <inheritdoc />
    public override bool HostsTools => true;

    /// <inheritdoc />
    /// <remarks>Functions, web search, code execution and MCP servers.</remarks>
    public override bool Carries(AITool tool) => base.Carries(tool) || tool is HostedWebSearchTool or HostedCodeInterpreterTool or HostedMcpServerTool;

    /// <inheritdoc />
    public override IReadOnlyList<string> ToolNames(JsonElement body) =>
        body.TryGetProperty("tools", out var tools) ? [.. tools.EnumerateArray().Select(tool => tool.GetProperty("name").GetString()!)] : [];

    /// <inheritdoc />
    public override IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> ToolCalls(JsonElement body) =>
        [.. Blocks(body, "assistant", "tool_use").Select(block => (block.GetProperty("id").GetString()!, block.GetProperty("name").GetString()!, block.GetProperty("input").Clone()))];

    /// <inheritdoc />
    public override IReadOnlyList<(string CallId, string Result)> ToolResults(JsonElement body) =>
        [.. Blocks(body, "user", "tool_result").Select(block => (block.GetProperty("tool_use_id").GetString()!, TextOf(block.GetProperty("content"))))];

    /// <inheritdoc />
    /// <remarks><c>thinking</c> blocks with their <c>signature</c>; <c>redacted_thinking</c> blocks as empty text with their <c>data</c>.</remarks>
    public override IReadOnlyList<(string Text, string? Signature)> Reasoning(JsonElement body) =>
        [.. AssistantBlocks(body)
            .Where(block => block.GetProperty("type").GetString() is "thinking" or "redacted_thinking")
            .Select(block => block.GetProperty("type").GetString() == "thinking"
                ? (block.GetProperty("thinking").GetString()!, block.GetProperty("signature").GetString())
                : (string.Empty, block.GetProperty("data").GetString()))];

    /// <inheritdoc />
    public override IReadOnlyList<string> Instructions(JsonElement body) =>
        !body.TryGetProperty("system", out var system) ? []
        : system.ValueKind == JsonValueKind.String ? [system.GetString()!]
        : [.. system.EnumerateArray().Select(block => block.GetProperty("text").GetString()!)];

    /// <inheritdoc />
    public override IReadOnlyList<(string Role, string Text)> Turns(JsonElement body) =>
        [.. Messages(body, role: null).Select(message => (
            message.GetProperty("role").GetString()!,
            message.GetProperty("content") is { ValueKind: JsonValueKind.String } text
                ? text.GetString()!
                : string.Concat(BlocksOf(message, "text").Select(block => block.GetProperty("text").GetString()))))];

    /// <inheritdoc />
    public override IReadOnlyList<string> StopSequences(JsonElement body) =>
        [.. body.GetProperty("stop_sequences").EnumerateArray().Select(stop => stop.GetString()!)];

    /// <summary>Reads the types of the content blocks of every assistant turn of a request, in order.</summary>
    public static IReadOnlyList<string> AssistantBlockTypes(JsonElement body) =>
        [.. AssistantBlocks(body).Select(block => block.GetProperty("type").GetString()!)];

    private static IEnumerable<JsonElement> Messages(JsonElement body, string? role) =>
        body.GetProperty("messages").EnumerateArray().Where(message => role is null || message.GetProperty("role").GetString() == role);

    private static IEnumerable<JsonElement> BlocksOf(JsonElement message, string? type) =>
        message.GetProperty("content") is { ValueKind: JsonValueKind.Array } content
            ? content.EnumerateArray().Where(block => type is null || block.GetProperty("type").GetString() == type)
            : [];

    private static IEnumerable<JsonElement> Blocks(JsonElement body, string role, string type) =>
        Messages(body, role).SelectMany(message => BlocksOf(message, type));

    private static IEnumerable<JsonElement> AssistantBlocks(JsonElement body) =>
        Messages(body, "assistant").SelectMany(message => BlocksOf(message, type: null));
}
