using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// Scripts and readers of <see cref="HostedToolsEndToEndTests"/>: replies holding every hosted part a protocol renders,
/// the blocks or items the emulator renders for them, and those a request carried back.
/// </summary>
internal static class HostedToolsData
{
    /// <summary>Gets each protocol with streaming on and off, as theory data.</summary>
    public static TheoryData<YuHuanProtocol, bool> Cross(IEnumerable<YuHuanProtocol> protocols)
    {
        var data = new TheoryData<YuHuanProtocol, bool>();
        foreach (var protocol in protocols)
        {
            data.Add(protocol, true);
            data.Add(protocol, false);
        }

        return data;
    }

    /// <summary>Gets a block (Messages) or item (Responses) of a type no protocol defines, holding a secret to look for.</summary>
    public static string UnknownBlock(YuHuanProtocol protocol) => protocol == YuHuanProtocol.Messages
        ? """{"type":"compaction","content":"cmp-secret summary of the earlier turns"}"""
        : """{"type":"compaction","id":"cmp_1","encrypted_content":"cmp-secret"}""";

    /// <summary>
    /// Gets a reply with every hosted part <paramref name="protocol"/> renders: a web search with encrypted results, text
    /// with a citation, a code execution, an MCP call, an unknown block and, on Responses, an MCP approval request.
    /// </summary>
    public static EmulatorReply EverythingReply(YuHuanProtocol protocol)
    {
        var reply = new EmulatorReply()
            .AddWebSearch("paris weather", [("https://example.com/paris", "Paris weather", "enc-page-1"), ("https://example.com/fr", "France", "enc-page-2")], callId: "ws_call_1")
            .AddText("Sunny in Paris today.", chunkSize: 4)
            .AddCitation("https://example.com/paris", "Paris weather", "Sunny in Paris", 0, 14)
            .AddCodeExecution("print(6 * 7)", "42\n", callId: "ci_call_1")
            .AddMcpCall("docs", "search_docs", """{"query":"hosted tools"}""", "Three pages found.", callId: "mcp_call_1")
            .AddRawItem(UnknownBlock(protocol))
            .AddText("Done.");
        return protocol == YuHuanProtocol.Responses
            ? reply.AddMcpApprovalRequest("mcpr_1", "docs", "delete_page", """{"page":7}""")
            : reply;
    }

    /// <summary>Renders <paramref name="reply"/> as the emulator's complete response and returns its blocks or items other than text.</summary>
    public static IReadOnlyList<JsonElement> RenderedNonText(YuHuanProtocol protocol, EmulatorReply reply)
    {
        WireFormat format = protocol == YuHuanProtocol.Messages ? MessagesWireFormat.Instance : ResponsesWireFormat.Instance;
        var root = JsonElement.Parse(format.RenderCompletion(reply));
        return protocol == YuHuanProtocol.Messages
            ? [.. root.GetProperty("content").EnumerateArray().Where(b => TypeOf(b) != "text")]
            : [.. root.GetProperty("output").EnumerateArray().Where(i => TypeOf(i) != "message")];
    }

    /// <summary>Reads the assistant blocks (Messages) or input items (Responses) other than text and messages a request carried.</summary>
    public static IReadOnlyList<JsonElement> SentNonText(YuHuanProtocol protocol, JsonElement body) => protocol == YuHuanProtocol.Messages
        ? [.. body.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "assistant" && m.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(m => m.GetProperty("content").EnumerateArray())
            .Where(b => TypeOf(b) != "text")]
        : [.. body.GetProperty("input").EnumerateArray().Where(i => TypeOf(i) is not ("message" or null))];

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
