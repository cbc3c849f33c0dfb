using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests;

/// <summary>
/// The Chat Completions wire format: <c>messages[]</c> with string or part contents, <c>tool_calls</c> on assistant
/// messages, <c>tool</c> messages, reasoning in <c>reasoning_content</c> or <c>reasoning_details</c>.
/// </summary>
public sealed partial class ChatCompletionsWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly ChatCompletionsWireFormat Instance = new();

    /// <inheritdoc />
    public override YuHuanProtocol Protocol => YuHuanProtocol.ChatCompletions;

    /// <inheritdoc />
    public override string Name => "Chat Completions";

    /// <inheritdoc />
    public override string RelativePath => "chat/completions";

    /// <inheritdoc />
    public override bool ReportsReasoningTokens => true;

    /// <inheritdoc />
    public override bool SendsReasoningSignaturesBack => false;

    /// <inheritdoc />
    public override bool KeepsUnmappedFields => false;

    /// <inheritdoc />
    public override bool HostsTools => false;

    /// <inheritdoc />
    /// <remarks>Functions and web search (<c>web_search_options</c>).</remarks>
    public override bool Carries(AITool tool) => base.Carries(tool) || tool is HostedWebSearchTool;

    /// <inheritdoc />
    public override IReadOnlyList<string> ToolNames(JsonElement body) =>
        body.TryGetProperty("tools", out var tools)
            ? [.. tools.EnumerateArray().Select(tool => tool.GetProperty("function").GetProperty("name").GetString()!)]
            : [];

    /// <inheritdoc />
    public override IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> ToolCalls(JsonElement body) =>
        [.. Messages(body)
            .Where(message => Role(message) == "assistant" && message.TryGetProperty("tool_calls", out _))
            .SelectMany(message => message.GetProperty("tool_calls").EnumerateArray())
            .Select(call => (
                call.GetProperty("id").GetString()!,
                call.GetProperty("function").GetProperty("name").GetString()!,
                ParseJson(call.GetProperty("function").GetProperty("arguments").GetString()!)))];

    /// <inheritdoc />
    public override IReadOnlyList<(string CallId, string Result)> ToolResults(JsonElement body) =>
        [.. Messages(body).Where(message => Role(message) == "tool").Select(message => (message.GetProperty("tool_call_id").GetString()!, ContentText(message)))];

    /// <inheritdoc />
    /// <remarks>
    /// Each assistant message's <c>reasoning_content</c> (no signature), or each <c>reasoning_details</c> entry that has
    /// text, with its own signature.
    /// </remarks>
    public override IReadOnlyList<(string Text, string? Signature)> Reasoning(JsonElement body) =>
        [.. Messages(body).Where(message => Role(message) == "assistant").SelectMany(ReasoningOf)];

    /// <inheritdoc />
    public override IReadOnlyList<string> Instructions(JsonElement body) =>
        [.. Messages(body).Where(message => Role(message) is "system" or "developer").Select(ContentText)];

    /// <inheritdoc />
    public override IReadOnlyList<(string Role, string Text)> Turns(JsonElement body) =>
        [.. Messages(body).Where(message => Role(message) is "user" or "assistant").Select(message => (Role(message), ContentText(message)))];

    /// <inheritdoc />
    public override IReadOnlyList<string> StopSequences(JsonElement body) =>
        [.. body.GetProperty("stop").EnumerateArray().Select(stop => stop.GetString()!)];

    private static IEnumerable<JsonElement> Messages(JsonElement body) => body.GetProperty("messages").EnumerateArray();

    private static string Role(JsonElement message) => message.GetProperty("role").GetString()!;

    /// <summary>The text of a message whose content is a string, parts, or absent.</summary>
    private static string ContentText(JsonElement message) =>
        !message.TryGetProperty("content", out var content) ? string.Empty
        : content.ValueKind == JsonValueKind.String ? content.GetString()!
        : content.ValueKind == JsonValueKind.Array ? string.Concat(content.EnumerateArray().Where(part => part.GetProperty("type").GetString() == "text").Select(part => part.GetProperty("text").GetString()))
        : string.Empty;

    private static IEnumerable<(string Text, string? Signature)> ReasoningOf(JsonElement message)
    {
        if (message.TryGetProperty("reasoning_content", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return [(text.GetString()!, null)];
        }

        return message.TryGetProperty("reasoning_details", out var details) && details.ValueKind == JsonValueKind.Array
            ? details.EnumerateArray()
                .Where(entry => entry.TryGetProperty("text", out var piece) && piece.ValueKind == JsonValueKind.String)
                .Select(entry => (entry.GetProperty("text").GetString()!, entry.TryGetProperty("signature", out var signature) ? signature.GetString() : null))
            : [];
    }
}
