using System.Text.Json;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>The end-to-end suite over Chat Completions: <c>messages[].content</c>, <c>tool_calls</c>, <c>reasoning_content</c>.</summary>
public sealed class ChatCompletionsEndToEndTests : EndToEndSuite
{
    protected override YuHuanProtocol Protocol => YuHuanProtocol.ChatCompletions;

    protected override string Path => "/v1/chat/completions";

    protected override string ResponseIdPrefix => "chatcmpl-emu-";

    protected override bool ReportsReasoningTokens => true;

    protected override void AssertProtocolHeaders(RecordedRequest request)
    {
        Assert.Equal("Bearer " + ApiKey, request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("x-api-key"), "Chat Completions sends the key only as a bearer token");
    }

    protected override void AssertStreamingFields(JsonElement body) =>
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());

    protected override IReadOnlyList<string> SentInstructions(JsonElement body) =>
        [.. Messages(body).Where(m => Role(m) is "system" or "developer").Select(TextOf)];

    protected override IReadOnlyList<(string Role, string Text)> SentTurns(JsonElement body) =>
        [.. Messages(body).Where(m => Role(m) is "user" or "assistant").Select(m => (Role(m), TextOf(m)))];

    protected override IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> SentToolCalls(JsonElement body) =>
        [.. Messages(body)
            .Where(m => Role(m) == "assistant" && m.TryGetProperty("tool_calls", out _))
            .SelectMany(m => m.GetProperty("tool_calls").EnumerateArray())
            .Select(c => (
                c.GetProperty("id").GetString()!,
                c.GetProperty("function").GetProperty("name").GetString()!,
                ParseJson(c.GetProperty("function").GetProperty("arguments").GetString()!)))];

    protected override IReadOnlyList<(string CallId, string Result)> SentToolResults(JsonElement body) =>
        [.. Messages(body).Where(m => Role(m) == "tool").Select(m => (m.GetProperty("tool_call_id").GetString()!, TextOf(m)))];

    /// <summary>The reasoning of each assistant message: its <c>reasoning_content</c>, or the text of the <c>reasoning_details</c> entries it mirrors.</summary>
    protected override IReadOnlyList<string> SentReasoning(JsonElement body) =>
        [.. Messages(body)
            .Where(m => Role(m) == "assistant" && (m.TryGetProperty("reasoning_content", out _) || m.TryGetProperty("reasoning_details", out _)))
            .Select(m => m.TryGetProperty("reasoning_content", out var text)
                ? text.GetString()!
                : string.Concat(m.GetProperty("reasoning_details").EnumerateArray().Select(d => d.TryGetProperty("text", out var t) ? t.GetString() : null)))];

    protected override IReadOnlyList<string> SentStopSequences(JsonElement body) =>
        [.. body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()!)];

    protected override IReadOnlyList<string> SentToolNames(JsonElement body) =>
        [.. body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()!)];

    private static IEnumerable<JsonElement> Messages(JsonElement body) => body.GetProperty("messages").EnumerateArray();

    private static string Role(JsonElement message) => message.GetProperty("role").GetString()!;

    /// <summary>The text of a message whose content is a string, parts, or absent.</summary>
    private static string TextOf(JsonElement message) =>
        !message.TryGetProperty("content", out var content) ? string.Empty
        : content.ValueKind == JsonValueKind.String ? content.GetString()!
        : content.ValueKind == JsonValueKind.Array ? string.Concat(content.EnumerateArray().Where(p => p.GetProperty("type").GetString() == "text").Select(p => p.GetProperty("text").GetString()))
        : string.Empty;
}
