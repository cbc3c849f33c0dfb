using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests;

/// <summary>
/// The OpenAI Responses wire format: <c>instructions</c>, <c>input</c> items (messages, <c>reasoning</c>,
/// <c>function_call</c>, <c>function_call_output</c>), flat function tools and <c>max_output_tokens</c>; a server keeps
/// responses unless told <c>store: false</c>.
/// </summary>
public sealed partial class ResponsesWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly ResponsesWireFormat Instance = new();

    /// <inheritdoc />
    public override YuHuanProtocol Protocol => YuHuanProtocol.Responses;

    /// <inheritdoc />
    public override string Name => "Responses";

    /// <inheritdoc />
    public override string RelativePath => "responses";

    /// <inheritdoc />
    public override bool ReportsReasoningTokens => true;

    /// <inheritdoc />
    public override bool SendsReasoningSignaturesBack => true;

    /// <inheritdoc />
    public override bool KeepsUnmappedFields => true;

    /// <inheritdoc />
    public override bool HostsTools => true;

    /// <inheritdoc />
    /// <remarks>Functions, web search, code interpreter, MCP servers, file search and image generation.</remarks>
    public override bool Carries(AITool tool) =>
#pragma warning disable MEAI001 // Image generation is experimental in Microsoft.Extensions.AI.
        base.Carries(tool) || tool is HostedWebSearchTool or HostedCodeInterpreterTool or HostedMcpServerTool or HostedFileSearchTool or HostedImageGenerationTool;
#pragma warning restore MEAI001

    /// <inheritdoc />
    public override string? ReasoningItemIdPrefix => "rs_";

    /// <inheritdoc />
    public override bool SendsTextPhase => true;

    /// <inheritdoc />
    public override string MaxOutputTokensField => "max_output_tokens";

    /// <inheritdoc />
    public override bool CarriesStopSequences => false;

    /// <inheritdoc />
    /// <remarks><c>store: false</c>.</remarks>
    public override ChatOptions Stateless(ChatOptions options)
    {
        (options.AdditionalProperties ??= [])["store"] = false;
        return options;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A response ends <c>completed</c> (read as ToolCalls when it made a function call, else Stop) or <c>incomplete</c>
    /// with its reason (Length, ContentFilter, or the server's own): "none", "stop" and "tool_calls" are not on the wire.
    /// </remarks>
    public override string? FinishReasonRead(string? scripted, bool hasCalls) =>
        scripted is null or "stop" or "tool_calls" ? (hasCalls ? "tool_calls" : "stop") : scripted;

    /// <inheritdoc />
    public override IReadOnlyList<string> ToolNames(JsonElement body) =>
        body.TryGetProperty("tools", out var tools) ? [.. tools.EnumerateArray().Select(tool => tool.GetProperty("name").GetString()!)] : [];

    /// <inheritdoc />
    public override IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> ToolCalls(JsonElement body) =>
        [.. Items(body, "function_call").Select(item => (item.GetProperty("call_id").GetString()!, item.GetProperty("name").GetString()!, ParseJson(item.GetProperty("arguments").GetString()!)))];

    /// <inheritdoc />
    public override IReadOnlyList<(string CallId, string Result)> ToolResults(JsonElement body) =>
        [.. Items(body, "function_call_output").Select(item => (item.GetProperty("call_id").GetString()!, item.GetProperty("output").GetString()!))];

    /// <inheritdoc />
    /// <remarks>Each <c>reasoning</c> item: its summary's text, and its <c>encrypted_content</c> as the signature.</remarks>
    public override IReadOnlyList<(string Text, string? Signature)> Reasoning(JsonElement body) =>
        [.. Items(body, "reasoning").Select(item => (
            item.TryGetProperty("summary", out var summary) ? TextOf(summary) : string.Empty,
            item.TryGetProperty("encrypted_content", out var encrypted) ? encrypted.GetString() : null))];

    /// <inheritdoc />
    public override IReadOnlyList<string> ReasoningItemIds(JsonElement body) =>
        [.. Items(body, "reasoning").Select(item => item.TryGetProperty("id", out var id) ? id.GetString() ?? string.Empty : string.Empty)];

    /// <inheritdoc />
    public override IReadOnlyList<string> Instructions(JsonElement body) =>
        [.. (body.TryGetProperty("instructions", out var instructions) ? [instructions.GetString()!] : Array.Empty<string>())
            .Concat(Items(body, "message").Where(message => message.GetProperty("role").GetString() is "system" or "developer").Select(message => TextOf(message.GetProperty("content"))))];

    /// <inheritdoc />
    public override IReadOnlyList<(string Role, string Text)> Turns(JsonElement body) =>
        [.. Items(body, "message").Where(message => message.GetProperty("role").GetString() is "user" or "assistant")
            .Select(message => (message.GetProperty("role").GetString()!, TextOf(message.GetProperty("content"))))];

    /// <inheritdoc />
    /// <remarks>Responses has no field for them: none.</remarks>
    public override IReadOnlyList<string> StopSequences(JsonElement body) => [];

    private static IEnumerable<JsonElement> Items(JsonElement body, string type) =>
        body.GetProperty("input").EnumerateArray().Where(item => item.TryGetProperty("type", out var itemType) && itemType.GetString() == type);
}
