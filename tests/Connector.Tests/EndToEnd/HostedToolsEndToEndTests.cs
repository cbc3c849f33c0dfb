#pragma warning disable MEAI001 // Hosted-tool contents and tool approvals are experimental in Microsoft.Extensions.AI.

using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// Hosted tools, citations and kept blocks through the real client over loopback: the emulator scripts web search, code
/// execution, MCP calls and approvals, citations and unknown blocks in each protocol's shape, the client maps them, and
/// a second request carries them back as the emulator sent them.
/// </summary>
public sealed class HostedToolsEndToEndTests : EmulatorTestBase
{
    private const string Url = "https://example.com/paris";
    private const string Title = "Paris weather";

    public static TheoryData<YuHuanProtocol, bool> AllStreamedOrNot => TestProtocols.AllStreamedOrNot;

    /// <summary>Gets the protocols with hosted tools, streamed and not.</summary>
    public static TheoryData<YuHuanProtocol, bool> HostedStreamedOrNot => TestProtocols.Where(kit => kit.HostsTools, true, false);

    /// <summary>Gets each protocol with hosted tools, then each other protocol a history from it goes to, streamed and not.</summary>
    public static TheoryData<YuHuanProtocol, YuHuanProtocol, bool> FromHostingToAnother
    {
        get
        {
            var data = new TheoryData<YuHuanProtocol, YuHuanProtocol, bool>();
            foreach (var from in TestProtocols.Kits.Where(kit => kit.HostsTools))
            {
                foreach (var to in TestProtocols.Kits.Where(kit => kit != from))
                {
                    data.Add(from.Protocol, to.Protocol, false);
                    data.Add(from.Protocol, to.Protocol, true);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllStreamedOrNot))]
    public async Task GetResponseAsync_WebSearchWithCitation_MapsCallResultAndCitationOnTheText(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddWebSearch("paris weather", [(Url, Title, "enc-page-1")], callId: "ws_call_1")
            .AddText("Sunny in Paris today.", chunkSize: 4)
            .AddCitation(Url, Title, "Sunny in Paris", 0, 14));
        using var client = Client(protocol);
        var wire = TestProtocols.Kit(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Weather in Paris?")]);

        Assert.Equal("Sunny in Paris today.", response.Text);
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var calls = contents.OfType<WebSearchToolCallContent>().ToList();
        if (!wire.Renders(HostedKind.WebSearch))
        {
            Assert.Empty(calls);
        }
        else
        {
            var call = Assert.Single(calls);
            Assert.Equal("ws_call_1", call.CallId);
            Assert.Equal(["paris weather"], call.Queries ?? []);
            Assert.Equal(wire.Name, WireItems(call));
        }

        // A protocol that holds a cited block's streamed text to its end puts its citation on the whole text. Others send
        // annotations after the text: streamed, they come on an empty text of their own, which Microsoft.Extensions.AI's
        // merging leaves beside the text (it never merges annotated text); whole, on the text.
        var texts = contents.OfType<TextContent>().ToList();
        var apart = streaming && !wire.CitationsHoldTheStreamedText;
        Assert.Equal(apart ? ["Sunny in Paris today.", string.Empty] : ["Sunny in Paris today."], texts.Select(t => t.Text));
        Assert.Single(response.Messages);
        var text = texts[^1];
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(text.Annotations ?? []));
        Assert.Equal(new Uri(Url), citation.Url);
        Assert.Equal(Title, citation.Title);
        if (wire.CitesBySnippet)
        {
            Assert.Equal("Sunny in Paris", citation.Snippet);
        }
        else
        {
            var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citation.AnnotatedRegions ?? []));
            Assert.Equal((0, 14), (region.StartIndex, region.EndIndex));
        }
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_WebSearch_ReportsTheResultWithTheCallId(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddWebSearch("paris weather", [(Url, Title, "enc-page-1")], callId: "ws_call_1")
            .AddText("Sunny."));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Weather in Paris?")]);

        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<WebSearchToolResultContent>());
        Assert.Equal("ws_call_1", result.CallId);
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_CodeExecution_MapsCodeAndOutput(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddCodeExecution("print(6 * 7)", "42\n", callId: "ci_call_1")
            .AddText("It is 42."));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "6 times 7?")]);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.Single(contents.OfType<CodeInterpreterToolCallContent>());
        Assert.Equal("ci_call_1", call.CallId);
        Assert.Contains("print(6 * 7)", HostedToolsData.TextOf(call.Inputs), StringComparison.Ordinal);
        var result = Assert.Single(contents.OfType<CodeInterpreterToolResultContent>());
        Assert.Equal("ci_call_1", result.CallId);
        Assert.Contains("42", HostedToolsData.TextOf(result.Outputs), StringComparison.Ordinal);
        Assert.Equal("It is 42.", response.Text);
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_McpCall_MapsCallAndResult(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddMcpCall("docs", "search_docs", """{"query":"hosted tools"}""", "Three pages found.", callId: "mcp_call_1")
            .AddText("Found three pages."));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Search the docs.")]);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.Single(contents.OfType<McpServerToolCallContent>());
        Assert.Equal(("mcp_call_1", "search_docs", "docs"), (call.CallId, call.Name, call.ServerName));
        Assert.Equal("hosted tools", HostedToolsData.StringOf(call.Arguments!["query"]));
        var result = Assert.Single(contents.OfType<McpServerToolResultContent>());
        Assert.Equal("mcp_call_1", result.CallId);
        Assert.Contains("Three pages found.", HostedToolsData.TextOf(result.Outputs), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_UnknownBlock_IsKeptWithItsJson(YuHuanProtocol protocol, bool streaming)
    {
        var wire = TestProtocols.Kit(protocol);
        var json = wire.UnknownBlock;
        Emulator.Enqueue(new EmulatorReply().AddText("Before.").AddRawItem(json).AddText("After."));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Go on.")]);

        var kept = Assert.Single(response.Messages.SelectMany(m => m.Contents), c => c.GetType() == typeof(AIContent));
        JsonAssert.Equal(json, Assert.IsType<JsonElement>(kept.RawRepresentation));
        Assert.Equal(wire.Name, WireItems(kept));
        Assert.Equal("Before.After.", string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextContent>().Select(t => t.Text)));
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_TwoTurns_SecondRequestCarriesEveryBlockBackVerbatim(YuHuanProtocol protocol, bool streaming)
    {
        var first = HostedToolsData.EverythingReply(protocol);
        Emulator.Enqueue(first, EmulatorReply.Text("You are welcome."));
        using var client = Client(protocol);
        var wire = TestProtocols.Kit(protocol);
        var options = wire.Stateless();
        List<ChatMessage> history = [new(ChatRole.User, "Search, compute and look it up.")];

        var firstResponse = await GetAsync(client, streaming, history, options);
        history.AddRange(firstResponse.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Thanks."));
        var second = await GetAsync(client, streaming, history, options);

        Assert.Equal("You are welcome.", second.Text);
        var expected = wire.RenderedItems(first);
        var sent = wire.SentAssistantTurn(Emulator.Requests[1].Json);
        var hosted = HostedToolsData.EverythingParts.Sum(part => wire.ExpectHosted(part).KeptTypes.Count);
        Assert.True(expected.Count(e => !wire.IsTextItem(e)) >= hosted, "the script renders every hosted part");
        Assert.Equal(expected.Select(HostedToolsData.TypeOf), sent.Select(HostedToolsData.TypeOf));
        for (var i = 0; i < expected.Count; i++)
        {
            if (wire.RebuiltText(expected[i]) is { } text)
            {
                // A text item rebuilt from its text (text that goes back whole, with its citations, is compared whole).
                Assert.Equal(text, wire.RebuiltText(sent[i]));
            }
            else
            {
                // Without what the emulator makes up per response (a fetched page's time), which the offline rendering fixes.
                JsonAssert.Equal(wire.ComparableItem(expected[i]), wire.ComparableItem(sent[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(FromHostingToAnother))]
    public async Task GetResponseAsync_HistoryFromAnotherProtocol_LeavesItsKeptContentOutWithADebugLine(YuHuanProtocol from, YuHuanProtocol to, bool streaming)
    {
        Emulator.Enqueue(HostedToolsData.EverythingReply(from), EmulatorReply.Text("Still here."));
        using var firstClient = Client(from);
        List<ChatMessage> history = [new(ChatRole.User, "Search, compute and look it up.")];
        var first = await GetAsync(firstClient, streaming, history, TestProtocols.Kit(from).Stateless());
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Thanks."));
        var log = new LogRecorder();
        using var secondClient = Client(to, log);

        var second = await GetAsync(secondClient, streaming, history, TestProtocols.Kit(to).Stateless());

        Assert.Equal("Still here.", second.Text);
        var body = Emulator.Requests[1].Body;
        Assert.DoesNotContain("enc-page-1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("cmp-secret", body, StringComparison.Ordinal);
        Assert.Contains("Sunny in Paris today.", body, StringComparison.Ordinal);
        Assert.Contains("Done.", body, StringComparison.Ordinal);
        var leftOut = log.Lines.Where(l => l.Level == LogLevel.Debug && l.Text.Contains("left out of the request", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(leftOut);
        Assert.All(leftOut, l => Assert.Contains(TestProtocols.Kit(from).Name + " protocol", l.Text, StringComparison.Ordinal));
        Assert.Contains(leftOut, l => l.Text.Contains("WebSearchToolCallContent", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllStreamedOrNot))]
    public async Task GetResponseAsync_HostedWebSearchTool_GoesOutAsTheProtocolsOwnTool(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(EmulatorReply.Text("Searched."));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Search.")], new ChatOptions { Tools = [new HostedWebSearchTool()] });

        Assert.Equal("Searched.", response.Text);
        TestProtocols.Kit(protocol).AssertHostedWebSearchSent(Assert.Single(Emulator.Requests).Json);
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_HostedMcpServerTool_GoesOutWithItsServerAndApprovalMode(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddMcpCall("docs", "search_docs", """{"query":"x"}""", "ok", callId: "mcp_call_1").AddText("Done."));
        var mcp = new HostedMcpServerTool("docs", new Uri("https://mcp.example.com/sse"))
        {
            AllowedTools = ["search_docs"],
            ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire,
        };
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Search the docs.")], new ChatOptions { Tools = [mcp] });

        Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<McpServerToolCallContent>());
        TestProtocols.Kit(protocol).AssertHostedMcpServerSent(Assert.Single(Emulator.Requests));
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_FailedMcpCall_MapsTheErrorAndKeepsTheCall(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddMcpCall("docs", "search_docs", """{"query":"x"}""", "Server unreachable.", isError: true, callId: "mcp_call_1").AddText("It failed."));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Search the docs.")]);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.Equal("mcp_call_1", Assert.Single(contents.OfType<McpServerToolCallContent>()).CallId);
        var result = Assert.Single(contents.OfType<McpServerToolResultContent>());
        Assert.Equal("mcp_call_1", result.CallId);
        var errorText = string.Concat((result.Outputs ?? []).Select(o => o switch
        {
            ErrorContent e => e.Message,
            TextContent t => t.Text,
            _ => string.Empty,
        }));
        Assert.Contains("Server unreachable.", errorText, StringComparison.Ordinal);
        Assert.Contains(result.Outputs ?? [], o => o is ErrorContent);
    }

    private static string? WireItems(AIContent content) => content.AdditionalProperties?["yuhuan_protocol"] as string;

    private static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, IList<ChatMessage> messages, ChatOptions? options = null)
    {
        if (!streaming)
        {
            return await client.GetResponseAsync(messages, options);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    private YuHuanChatClient Client(YuHuanProtocol protocol, ILoggerFactory? log = null) => new(
        new YuHuanChatClientOptions
        {
            Endpoint = Emulator.Endpoint,
            ApiKey = ApiKey,
            ModelId = "yuhuan-test",
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            Protocol = protocol,
        },
        httpClient: null,
        loggerFactory: log);
}
