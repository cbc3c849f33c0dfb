using System.Text.Json;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>Reads tool calls, tool results, reasoning and advertised tools out of a recorded request body, in each protocol's format.</summary>
public static class Wire
{
    /// <summary>Returns the names of the tools the request advertised.</summary>
    public static IReadOnlyList<string> ToolNames(YuHuanProtocol protocol, JsonElement body) =>
        body.TryGetProperty("tools", out var tools)
            ? [.. tools.EnumerateArray().Select(tool => protocol == YuHuanProtocol.ChatCompletions
                ? tool.GetProperty("function").GetProperty("name").GetString()!
                : tool.GetProperty("name").GetString()!)]
            : [];

    /// <summary>Returns the tool calls the request sent back to the model as history: id, name and arguments JSON.</summary>
    public static IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> ToolCalls(YuHuanProtocol protocol, JsonElement body) => protocol switch
    {
        YuHuanProtocol.ChatCompletions => [.. Messages(body, "assistant")
            .Where(message => message.TryGetProperty("tool_calls", out _))
            .SelectMany(message => message.GetProperty("tool_calls").EnumerateArray())
            .Select(call => (
                call.GetProperty("id").GetString()!,
                call.GetProperty("function").GetProperty("name").GetString()!,
                Parse(call.GetProperty("function").GetProperty("arguments").GetString()!)))],
        YuHuanProtocol.Messages => [.. Blocks(body, "assistant", "tool_use")
            .Select(block => (block.GetProperty("id").GetString()!, block.GetProperty("name").GetString()!, block.GetProperty("input").Clone()))],
        YuHuanProtocol.Responses => [.. Items(body, "function_call")
            .Select(item => (item.GetProperty("call_id").GetString()!, item.GetProperty("name").GetString()!, Parse(item.GetProperty("arguments").GetString()!)))],
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>Returns the tool results the request carried, in order: the call id and the result text.</summary>
    public static IReadOnlyList<(string CallId, string Content)> ToolResults(YuHuanProtocol protocol, JsonElement body) => protocol switch
    {
        YuHuanProtocol.ChatCompletions => [.. Messages(body, "tool")
            .Select(message => (message.GetProperty("tool_call_id").GetString()!, message.GetProperty("content").GetString()!))],
        YuHuanProtocol.Messages => [.. Blocks(body, "user", "tool_result")
            .Select(block => (block.GetProperty("tool_use_id").GetString()!, TextOf(block.GetProperty("content"))))],
        YuHuanProtocol.Responses => [.. Items(body, "function_call_output")
            .Select(item => (item.GetProperty("call_id").GetString()!, item.GetProperty("output").GetString()!))],
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>
    /// Returns the reasoning the request sent back in assistant turns, in order: the text and, where the protocol
    /// carries one, the signature (Messages <c>thinking</c> blocks, Responses <c>encrypted_content</c>); Messages
    /// <c>redacted_thinking</c> blocks come as empty text with their <c>data</c> as the signature.
    /// </summary>
    public static IReadOnlyList<(string Text, string? Signature)> Reasoning(YuHuanProtocol protocol, JsonElement body) => protocol switch
    {
        YuHuanProtocol.ChatCompletions => [.. Messages(body, "assistant").SelectMany(ReasoningOf)],
        YuHuanProtocol.Messages => [.. Messages(body, "assistant")
            .Where(message => message.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(message => message.GetProperty("content").EnumerateArray())
            .Where(block => block.GetProperty("type").GetString() is "thinking" or "redacted_thinking")
            .Select(block => block.GetProperty("type").GetString() == "thinking"
                ? (block.GetProperty("thinking").GetString()!, block.GetProperty("signature").GetString())
                : (string.Empty, block.GetProperty("data").GetString()))],
        YuHuanProtocol.Responses => [.. Items(body, "reasoning")
            .Select(item => (
                item.TryGetProperty("summary", out var summary) ? TextOf(summary) : string.Empty,
                item.TryGetProperty("encrypted_content", out var encrypted) ? encrypted.GetString() : null))],
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>
    /// Returns the reasoning of a Chat Completions assistant message: its <c>reasoning_content</c> (no signature), or each
    /// <c>reasoning_details</c> entry that has text, with its own signature.
    /// </summary>
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

    /// <summary>Returns the <c>id</c> of every <c>reasoning</c> item of a Responses request, in order (empty when an item has none).</summary>
    public static IReadOnlyList<string> ReasoningItemIds(JsonElement body) =>
        [.. Items(body, "reasoning").Select(item => item.TryGetProperty("id", out var id) ? id.GetString() ?? string.Empty : string.Empty)];

    /// <summary>Returns the types of the content blocks of every assistant turn of a Messages request, in order.</summary>
    public static IReadOnlyList<string> AssistantBlockTypes(JsonElement body) =>
        [.. Messages(body, "assistant")
            .Where(message => message.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(message => message.GetProperty("content").EnumerateArray())
            .Select(block => block.GetProperty("type").GetString()!)];

    private static IEnumerable<JsonElement> Messages(JsonElement body, string role) =>
        body.GetProperty("messages").EnumerateArray().Where(message => message.GetProperty("role").GetString() == role);

    private static IEnumerable<JsonElement> Blocks(JsonElement body, string role, string type) =>
        Messages(body, role)
            .Where(message => message.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(message => message.GetProperty("content").EnumerateArray())
            .Where(block => block.GetProperty("type").GetString() == type);

    private static IEnumerable<JsonElement> Items(JsonElement body, string type) =>
        body.GetProperty("input").EnumerateArray()
            .Where(item => item.TryGetProperty("type", out var itemType) && itemType.GetString() == type);

    private static string TextOf(JsonElement content) =>
        content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(block => block.GetProperty("text").GetString()));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
