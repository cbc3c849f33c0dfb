using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// The end-to-end suite over OpenAI Responses: <c>instructions</c>, <c>input</c> items (messages, <c>reasoning</c>,
/// <c>function_call</c>, <c>function_call_output</c>) and flat function tools, with the bearer key.
/// </summary>
public sealed partial class ResponsesEndToEndTests : EndToEndSuite
{
    protected override YuHuanProtocol Protocol => YuHuanProtocol.Responses;

    protected override string Path => "/v1/responses";

    protected override string ResponseIdPrefix => "resp_emu_";

    protected override bool ReportsReasoningTokens => true;

    protected override string MaxOutputTokensField => "max_output_tokens";

    protected override bool CarriesStopSequences => false;

    /// <remarks>A response that made no function call is <c>completed</c>: Stop.</remarks>
    protected override ChatFinishReason FinishReasonRead(ChatFinishReason scripted) =>
        scripted == ChatFinishReason.ToolCalls ? ChatFinishReason.Stop : scripted;

    protected override ChatOptions Stateless(ChatOptions options)
    {
        (options.AdditionalProperties ??= [])["store"] = false;
        return options;
    }

    protected override void AssertProtocolHeaders(RecordedRequest request)
    {
        Assert.Equal("Bearer " + ApiKey, request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    protected override void AssertStreamingFields(JsonElement body)
    {
        Assert.False(body.TryGetProperty("stream_options", out _), "stream_options is Chat Completions' field");
        Assert.False(body.TryGetProperty("max_tokens", out _), "max_tokens is not a Responses field");
    }

    protected override IReadOnlyList<string> SentInstructions(JsonElement body) =>
        [.. (body.TryGetProperty("instructions", out var instructions) ? [instructions.GetString()!] : Array.Empty<string>())
            .Concat(Items(body, "message").Where(m => m.GetProperty("role").GetString() is "system" or "developer").Select(TextOf))];

    protected override IReadOnlyList<(string Role, string Text)> SentTurns(JsonElement body) =>
        [.. Items(body, "message").Where(m => m.GetProperty("role").GetString() is "user" or "assistant")
            .Select(m => (m.GetProperty("role").GetString()!, TextOf(m)))];

    protected override IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> SentToolCalls(JsonElement body) =>
        [.. Items(body, "function_call").Select(i => (i.GetProperty("call_id").GetString()!, i.GetProperty("name").GetString()!, Parse(i.GetProperty("arguments").GetString()!)))];

    protected override IReadOnlyList<(string CallId, string Result)> SentToolResults(JsonElement body) =>
        [.. Items(body, "function_call_output").Select(i => (i.GetProperty("call_id").GetString()!, i.GetProperty("output").GetString()!))];

    protected override IReadOnlyList<string> SentReasoning(JsonElement body) =>
        [.. Items(body, "reasoning").Select(i => string.Concat(i.GetProperty("summary").EnumerateArray().Select(s => s.GetProperty("text").GetString())))];

    protected override IReadOnlyList<string> SentStopSequences(JsonElement body) => [];

    protected override IReadOnlyList<string> SentToolNames(JsonElement body) =>
        [.. body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];

    private static IEnumerable<JsonElement> Items(JsonElement body, string type) =>
        body.GetProperty("input").EnumerateArray().Where(i => i.TryGetProperty("type", out var t) && t.GetString() == type);

    private static string TextOf(JsonElement message) =>
        string.Concat(message.GetProperty("content").EnumerateArray().Select(p => p.TryGetProperty("text", out var text) ? text.GetString() : string.Empty));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
