using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// Scripts and readers of <see cref="HostedToolsEndToEndTests"/>: replies holding every hosted part a protocol renders,
/// and readers of the blocks or items the emulator renders for them and a request carries back.
/// </summary>
internal static class HostedToolsData
{
    /// <summary>
    /// Gets a reply with every hosted part the emulator scripts, each protocol rendering those it has a shape for: a web
    /// search with encrypted results, text with a citation, a web fetch, a file search, code executions (Python and bash),
    /// an MCP call, an image generation, an unknown block and, last, an MCP approval request (<see cref="EverythingParts"/>).
    /// </summary>
    public static EmulatorReply EverythingReply(YuHuanProtocol protocol) => new EmulatorReply()
        .AddWebSearch("paris weather", [("https://example.com/paris", "Paris weather", "enc-page-1"), ("https://example.com/fr", "France", "enc-page-2")], callId: "ws_call_1")
        .AddText("Sunny in Paris today.", chunkSize: 4)
        .AddCitation("https://example.com/paris", "Paris weather", "Sunny in Paris", 0, 14)
        .AddWebFetch("https://example.com/forecast", "Forecast", "Rain tomorrow.", callId: "fetch_call_1")
        .AddFileSearch(["forecast"], [("file_1", "notes.txt", "Bring an umbrella.", 0.9)], callId: "fs_call_1")
        .AddCodeExecution("print(6 * 7)", "42\n", callId: "ci_call_1")
        .AddCodeExecution("ls -1", "notes.txt\n", bash: true, callId: "bash_call_1")
        .AddMcpCall("docs", "search_docs", """{"query":"hosted tools"}""", "Three pages found.", callId: "mcp_call_1")
        .AddImageGeneration(TinyPng, [TinyPng], callId: "ig_call_1")
        .AddRawItem(TestProtocols.Kit(protocol).UnknownBlock)
        .AddText("Done.")
        .AddMcpApprovalRequest("mcpr_1", "docs", "delete_page", """{"page":7}""");

    /// <summary>Gets the hosted and unknown parts of <see cref="EverythingReply"/>, in order.</summary>
    public static IReadOnlyList<HostedSpec> EverythingParts =>
    [
        new(HostedKind.WebSearch, 0, string.Empty), new(HostedKind.WebFetch, 0, string.Empty), new(HostedKind.FileSearch, 0, string.Empty),
        new(HostedKind.CodeExecution, 0, string.Empty), new(HostedKind.BashExecution, 0, string.Empty), new(HostedKind.McpCall, 0, string.Empty),
        new(HostedKind.ImageGeneration, 1, string.Empty), new(HostedKind.Raw, 0, "compaction"), new(HostedKind.McpApproval, 0, string.Empty),
    ];

    /// <summary>Gets a one-pixel PNG, base64.</summary>
    public static string TinyPng => "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    /// <summary>Gets the <c>type</c> of a block or item, or <see langword="null"/> when it has none.</summary>
    public static string? TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) ? type.GetString() : null;

    /// <summary>Joins the text of the text contents, and of the UTF-8 text data contents, among <paramref name="contents"/>.</summary>
    public static string TextOf(IEnumerable<AIContent>? contents) => string.Concat((contents ?? []).Select(c => c switch
    {
        TextContent text => text.Text,
        DataContent data when data.MediaType.StartsWith("text/", StringComparison.Ordinal) => System.Text.Encoding.UTF8.GetString(data.Data.Span),
        _ => string.Empty,
    }));

    /// <summary>Reads a string argument, whether it arrived as a string or a JSON string.</summary>
    public static string? StringOf(object? value) => value switch
    {
        JsonElement element => element.GetString(),
        _ => value?.ToString(),
    };

    /// <summary>Reads an integer argument, whether it arrived as a number or a JSON number.</summary>
    public static int IntOf(object? value) => value switch
    {
        JsonElement element => element.GetInt32(),
        _ => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
