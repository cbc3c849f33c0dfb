using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Storage;

/// <summary>
/// Scripts of <see cref="StoredHistoryTests"/>: a reply holding every kind of content the client maps, and the next turn
/// an app builds on a history; each protocol's kit says what a request built on it must carry back.
/// </summary>
internal static class StoredHistoryData
{
    /// <summary>The signature of the reasoning, which a protocol that sends signatures back carries back.</summary>
    public const string Signature = "sig-thinking-1";

    /// <summary>The opaque data of the redacted reasoning.</summary>
    public const string RedactedData = "redacted-data-1";

    /// <summary>Fields of a reasoning block or item the client's mapping does not use.</summary>
    public const string ReasoningFields = """{"origin":"summarizer-7"}""";

    /// <summary>Fields of a text block or message item the client's mapping does not use.</summary>
    public const string TextFields = """{"lang":"en-gb-7"}""";

    /// <summary>A programmatic call's <c>caller</c>, a field of a tool call the client's mapping does not use.</summary>
    public const string CallerFields = """{"caller":{"type":"code_execution_20250825","tool_id":"srvtoolu_7"}}""";

    /// <summary>
    /// Gets a reply with every kind of content: signed, raw and redacted reasoning, web search with encrypted results,
    /// cited text, web fetch, file search, Python and bash code execution, an MCP call, an image generation, an unknown
    /// block, a refusal, phased text, two function calls (one with arguments that are no JSON, one with a <c>caller</c>)
    /// and an MCP approval request; reasoning and text also carry fields the mapping does not use. Each protocol renders
    /// what it has a shape for.
    /// </summary>
    public static EmulatorReply RichReply(YuHuanProtocol protocol) => new EmulatorReply()
        .AddReasoning("Which tools fit?", chunkSize: 5, signature: Signature)
        .WithExtraFields(ReasoningFields)
        .AddRawReasoning("Raw thoughts.", chunkSize: 4, signature: "sig-raw-1")
        .AddRedactedReasoning(RedactedData)
        .AddWebSearch("paris weather", [("https://example.com/paris", "Paris weather", "enc-page-1"), ("https://example.com/fr", "France", null)], callId: "ws_call_1")
        .AddText("Sunny in Paris today.", chunkSize: 4)
        .WithExtraFields(TextFields)
        .AddCitation("https://example.com/paris", "Paris weather", "Sunny in Paris", 0, 14)
        .AddWebFetch("https://example.com/forecast", "Forecast", "Rain tomorrow.", callId: "fetch_call_1")
        .AddFileSearch(["forecast"], [("file_1", "notes.txt", "Bring an umbrella.", 0.9)], callId: "fs_call_1")
        .AddCodeExecution("print(6 * 7)", "42\n", callId: "ci_call_1")
        .AddCodeExecution("ls -1", "notes.txt\n", stderr: "warning\n", bash: true, callId: "bash_call_1")
        .AddMcpCall("docs", "search_docs", """{"query":"hosted tools"}""", "Three pages found.", callId: "mcp_call_1")
        .AddImageGeneration(HostedToolsData.TinyPng, [HostedToolsData.TinyPng], callId: "ig_call_1")
        .AddRawItem(TestProtocols.Kit(protocol).UnknownBlock)
        .AddRefusal("I will not say more.")
        .AddPhasedText("Now your tools.", "commentary")
        .AddToolCall("call_1", "get_weather", """{"city":"Paris","days":2.50}""", fragments: 3)
        .WithExtraFields(CallerFields)
        .AddToolCall("call_2", "get_time", """{"zone": Europe/Paris""")
        .AddMcpApprovalRequest("mcpr_1", "docs", "delete_page", """{"page":7}""")
        .WithUsage(inputTokens: 30, outputTokens: 90, reasoningTokens: 20);

    /// <summary>
    /// Gets the next turn an app builds on <paramref name="history"/>: a result for every function call, an approval of
    /// every approval request (taken from the history, as an app finds them), then a user's word.
    /// </summary>
    public static List<ChatMessage> NextTurn(IEnumerable<ChatMessage> history)
    {
        var messages = history.ToList();
        var contents = messages.SelectMany(m => m.Contents).ToList();
        var results = contents.OfType<FunctionCallContent>().Select(c => (AIContent)new FunctionResultContent(c.CallId, "done: " + c.Name)).ToList();
        if (results.Count > 0)
        {
            messages.Add(new ChatMessage(ChatRole.Tool, results));
        }

#pragma warning disable MEAI001 // Tool approvals are experimental in Microsoft.Extensions.AI.
        var approvals = contents.OfType<ToolApprovalRequestContent>().Select(r => (AIContent)r.CreateResponse(approved: true)).ToList();
#pragma warning restore MEAI001
        if (approvals.Count > 0)
        {
            messages.Add(new ChatMessage(ChatRole.User, approvals));
        }

        messages.Add(new ChatMessage(ChatRole.User, "Thanks."));
        return messages;
    }

    /// <summary>Writes <paramref name="history"/> as JSON and reads it back, as an app that keeps its conversations as JSON does.</summary>
    public static List<ChatMessage> RoundTrip(List<ChatMessage> history)
    {
        var json = JsonSerializer.Serialize(history, AIJsonUtilities.DefaultOptions);
        return JsonSerializer.Deserialize<List<ChatMessage>>(json, AIJsonUtilities.DefaultOptions)!;
    }
}
