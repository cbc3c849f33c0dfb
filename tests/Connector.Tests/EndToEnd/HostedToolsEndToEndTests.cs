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

    public static TheoryData<YuHuanProtocol, bool> AllStreamedOrNot => HostedToolsData.Cross(LandedProtocols.Protocols);

    public static TheoryData<YuHuanProtocol, bool> HostedStreamedOrNot => HostedToolsData.Cross([YuHuanProtocol.Messages, YuHuanProtocol.Responses]);

    public static TheoryData<bool> StreamedOrNot => [true, false];

    [Theory]
    [MemberData(nameof(AllStreamedOrNot))]
    public async Task GetResponseAsync_WebSearchWithCitation_MapsCallResultAndCitationOnTheText(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply()
            .AddWebSearch("paris weather", [(Url, Title, "enc-page-1")], callId: "ws_call_1")
            .AddText("Sunny in Paris today.", chunkSize: 4)
            .AddCitation(Url, Title, "Sunny in Paris", 0, 14));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Weather in Paris?")]);

        Assert.Equal("Sunny in Paris today.", response.Text);
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var calls = contents.OfType<WebSearchToolCallContent>().ToList();
        if (protocol == YuHuanProtocol.ChatCompletions)
        {
            Assert.Empty(calls);
        }
        else
        {
            var call = Assert.Single(calls);
            Assert.Equal("ws_call_1", call.CallId);
            Assert.Equal(["paris weather"], call.Queries ?? []);
            Assert.Equal(protocol == YuHuanProtocol.Messages ? "Messages" : "Responses", WireItems(call));
        }

        // Messages holds a cited block's streamed text to its stop, so its citation lands on the whole text. Responses and
        // Chat Completions send annotations after the text: streamed, they come on an empty text of their own, which
        // Microsoft.Extensions.AI's merging leaves beside the text (it never merges annotated text); whole, on the text.
        var texts = contents.OfType<TextContent>().ToList();
        var apart = streaming && protocol != YuHuanProtocol.Messages;
        Assert.Equal(apart ? ["Sunny in Paris today.", string.Empty] : ["Sunny in Paris today."], texts.Select(t => t.Text));
        Assert.Single(response.Messages);
        var text = texts[^1];
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(text.Annotations ?? []));
        Assert.Equal(new Uri(Url), citation.Url);
        Assert.Equal(Title, citation.Title);
        if (protocol == YuHuanProtocol.Messages)
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
    [MemberData(nameof(StreamedOrNot))]
    public async Task GetResponseAsync_McpApprovalThenApproval_SendsTheRequestBackAndTheApprovalResponse(bool streaming)
    {
        Emulator.Enqueue(
            new EmulatorReply().AddMcpApprovalRequest("mcpr_1", "docs", "delete_page", """{"page":7}"""),
            EmulatorReply.Text("Deleted."));
        using var client = Client(YuHuanProtocol.Responses);
        var options = new ChatOptions { AdditionalProperties = new() { ["store"] = false } };
        List<ChatMessage> history = [new(ChatRole.User, "Delete page 7.")];

        var first = await GetAsync(client, streaming, history, options);

        var request = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("mcpr_1", request.RequestId);
        var call = Assert.IsType<McpServerToolCallContent>(request.ToolCall);
        Assert.Equal(("delete_page", "docs"), (call.Name, call.ServerName));
        Assert.Equal(7, HostedToolsData.IntOf(call.Arguments!["page"]));

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]));
        var second = await GetAsync(client, streaming, history, options);

        Assert.Equal("Deleted.", second.Text);
        var input = Emulator.Requests[1].Json.GetProperty("input").EnumerateArray().ToList();
        var sentRequest = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_request");
        Assert.Equal("mcpr_1", sentRequest.GetProperty("id").GetString());
        var approval = Assert.Single(input, i => HostedToolsData.TypeOf(i) == "mcp_approval_response");
        Assert.Equal("mcpr_1", approval.GetProperty("approval_request_id").GetString());
        Assert.True(approval.GetProperty("approve").GetBoolean());
        Assert.True(input.IndexOf(sentRequest) < input.IndexOf(approval), "the approval follows its request");
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_UnknownBlock_IsKeptWithItsJson(YuHuanProtocol protocol, bool streaming)
    {
        var json = HostedToolsData.UnknownBlock(protocol);
        Emulator.Enqueue(new EmulatorReply().AddText("Before.").AddRawItem(json).AddText("After."));
        using var client = Client(protocol);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Go on.")]);

        var kept = Assert.Single(response.Messages.SelectMany(m => m.Contents), c => c.GetType() == typeof(AIContent));
        JsonAssert.Equal(json, Assert.IsType<JsonElement>(kept.RawRepresentation));
        Assert.Equal(protocol == YuHuanProtocol.Messages ? "Messages" : "Responses", WireItems(kept));
        Assert.Equal("Before.After.", string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextContent>().Select(t => t.Text)));
    }

    [Theory]
    [MemberData(nameof(HostedStreamedOrNot))]
    public async Task GetResponseAsync_TwoTurns_SecondRequestCarriesEveryBlockBackVerbatim(YuHuanProtocol protocol, bool streaming)
    {
        var first = HostedToolsData.EverythingReply(protocol);
        Emulator.Enqueue(first, EmulatorReply.Text("You are welcome."));
        using var client = Client(protocol);
        var options = Stateless(protocol);
        List<ChatMessage> history = [new(ChatRole.User, "Search, compute and look it up.")];

        var firstResponse = await GetAsync(client, streaming, history, options);
        history.AddRange(firstResponse.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Thanks."));
        var second = await GetAsync(client, streaming, history, options);

        Assert.Equal("You are welcome.", second.Text);
        var expected = HostedToolsData.Rendered(protocol, first);
        var sent = HostedToolsData.SentAssistantTurn(protocol, Emulator.Requests[1].Json);
        Assert.True(expected.Count(e => !HostedToolsData.IsText(e)) >= (protocol == YuHuanProtocol.Messages ? 10 : 9), "the script renders every hosted part");
        Assert.Equal(expected.Select(HostedToolsData.TypeOf), sent.Select(HostedToolsData.TypeOf));
        for (var i = 0; i < expected.Count; i++)
        {
            if (protocol == YuHuanProtocol.Responses && HostedToolsData.IsText(expected[i]))
            {
                // A message item is rebuilt from its text (Messages text blocks go back whole, with their citations).
                Assert.Equal(HostedToolsData.TextOfBlock(expected[i]), HostedToolsData.TextOfBlock(sent[i]));
            }
            else
            {
                // The emulator dates a fetched page with the time it answers; the fuzz rendering with a fixed clock.
                JsonAssert.Equal(HostedToolsData.WithoutFetchTime(expected[i]), HostedToolsData.WithoutFetchTime(sent[i]));
            }
        }
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ImageGeneration_StreamsThePartialsThenTheImage()
    {
        Emulator.Enqueue(new EmulatorReply().AddImageGeneration(HostedToolsData.TinyPng, [HostedToolsData.TinyPng, HostedToolsData.TinyPng], callId: "ig_call_1"));
        using var client = Client(YuHuanProtocol.Responses);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Draw a dot."))
        {
            updates.Add(update);
        }

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("ig_call_1", Assert.Single(contents.OfType<ImageGenerationToolCallContent>()).CallId);
        var results = contents.OfType<ImageGenerationToolResultContent>().ToList();
        Assert.All(results, r => Assert.Equal("ig_call_1", r.CallId));
        var images = results.SelectMany(r => r.Outputs ?? []).OfType<DataContent>().ToList();
        Assert.Equal(3, images.Count);
        Assert.Equal([0, 1], images.Take(2).Select(i => Convert.ToInt32(i.AdditionalProperties?["partial_image_index"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(images, i => Assert.Equal(Convert.FromBase64String(HostedToolsData.TinyPng), i.Data.ToArray()));
        Assert.All(images, i => Assert.StartsWith("image/", i.MediaType, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StreamedOrNot))]
    public async Task GetResponseAsync_ImageGeneration_MapsCallAndFinalImage(bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddImageGeneration(HostedToolsData.TinyPng, [HostedToolsData.TinyPng], callId: "ig_call_1"));
        using var client = Client(YuHuanProtocol.Responses);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Draw a dot.")]);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.Equal("ig_call_1", Assert.Single(contents.OfType<ImageGenerationToolCallContent>()).CallId);
        var image = Assert.IsType<DataContent>(Assert.Single(Assert.Single(contents.OfType<ImageGenerationToolResultContent>()).Outputs ?? []));
        Assert.Equal(Convert.FromBase64String(HostedToolsData.TinyPng), image.Data.ToArray());
    }

    [Theory]
    [MemberData(nameof(StreamedOrNot))]
    public async Task GetResponseAsync_FileSearch_IsKeptWithItsJson(bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddFileSearch(["umbrella"], [("file_1", "notes.txt", "Bring an umbrella.", 0.9)], callId: "fs_call_1").AddText("Bring one."));
        using var client = Client(YuHuanProtocol.Responses);

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Umbrella?")]);

        var kept = Assert.Single(response.Messages.SelectMany(m => m.Contents), c => c.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } json && HostedToolsData.TypeOf(json) == "file_search_call");
        var item = (JsonElement)kept.RawRepresentation!;
        Assert.Equal("fs_call_1", item.GetProperty("id").GetString());
        Assert.Equal("Bring an umbrella.", item.GetProperty("results")[0].GetProperty("text").GetString());
        Assert.Equal("Responses", WireItems(kept));
    }

    [Theory]
    [InlineData(YuHuanProtocol.Messages, YuHuanProtocol.Responses, false)]
    [InlineData(YuHuanProtocol.Messages, YuHuanProtocol.Responses, true)]
    [InlineData(YuHuanProtocol.Responses, YuHuanProtocol.Messages, false)]
    [InlineData(YuHuanProtocol.Responses, YuHuanProtocol.Messages, true)]
    [InlineData(YuHuanProtocol.Messages, YuHuanProtocol.ChatCompletions, false)]
    [InlineData(YuHuanProtocol.Messages, YuHuanProtocol.ChatCompletions, true)]
    [InlineData(YuHuanProtocol.Responses, YuHuanProtocol.ChatCompletions, false)]
    [InlineData(YuHuanProtocol.Responses, YuHuanProtocol.ChatCompletions, true)]
    public async Task GetResponseAsync_HistoryFromAnotherProtocol_LeavesItsKeptContentOutWithADebugLine(YuHuanProtocol from, YuHuanProtocol to, bool streaming)
    {
        Emulator.Enqueue(HostedToolsData.EverythingReply(from), EmulatorReply.Text("Still here."));
        using var firstClient = Client(from);
        List<ChatMessage> history = [new(ChatRole.User, "Search, compute and look it up.")];
        var first = await GetAsync(firstClient, streaming, history, Stateless(from));
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Thanks."));
        var log = new LogRecorder();
        using var secondClient = Client(to, log);

        var second = await GetAsync(secondClient, streaming, history, Stateless(to));

        Assert.Equal("Still here.", second.Text);
        var body = Emulator.Requests[1].Body;
        Assert.DoesNotContain("enc-page-1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("cmp-secret", body, StringComparison.Ordinal);
        Assert.Contains("Sunny in Paris today.", body, StringComparison.Ordinal);
        Assert.Contains("Done.", body, StringComparison.Ordinal);
        var leftOut = log.Lines.Where(l => l.Level == LogLevel.Debug && l.Text.Contains("left out of the request", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(leftOut);
        Assert.All(leftOut, l => Assert.Contains(from == YuHuanProtocol.Messages ? "Messages protocol" : "Responses protocol", l.Text, StringComparison.Ordinal));
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
        var body = Assert.Single(Emulator.Requests).Json;
        switch (protocol)
        {
            case YuHuanProtocol.ChatCompletions:
                Assert.Equal(JsonValueKind.Object, body.GetProperty("web_search_options").ValueKind);
                Assert.False(body.TryGetProperty("tools", out _), "a web search is no function tool");
                break;
            case YuHuanProtocol.Messages:
                var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
                Assert.Equal(("web_search_20250305", "web_search"), (tool.GetProperty("type").GetString(), tool.GetProperty("name").GetString()));
                break;
            default:
                Assert.Equal("web_search", Assert.Single(body.GetProperty("tools").EnumerateArray()).GetProperty("type").GetString());
                break;
        }
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
        var request = Assert.Single(Emulator.Requests);
        if (protocol == YuHuanProtocol.Messages)
        {
            Assert.Contains("mcp-client-2025-04-04", request.Headers["anthropic-beta"], StringComparison.Ordinal);
            var server = Assert.Single(request.Json.GetProperty("mcp_servers").EnumerateArray());
            Assert.Equal(("url", "https://mcp.example.com/sse", "docs"), (server.GetProperty("type").GetString(), server.GetProperty("url").GetString(), server.GetProperty("name").GetString()));
            Assert.Equal("search_docs", Assert.Single(server.GetProperty("tool_configuration").GetProperty("allowed_tools").EnumerateArray()).GetString());
        }
        else
        {
            var tool = Assert.Single(request.Json.GetProperty("tools").EnumerateArray());
            Assert.Equal(("mcp", "docs", "https://mcp.example.com/sse"), (tool.GetProperty("type").GetString(), tool.GetProperty("server_label").GetString(), tool.GetProperty("server_url").GetString()));
            Assert.Equal("never", tool.GetProperty("require_approval").GetString());
            Assert.Equal("search_docs", Assert.Single(tool.GetProperty("allowed_tools").EnumerateArray()).GetString());
        }
    }

    [Fact]
    public async Task GetResponseAsync_HostedCodeInterpreterOnChatCompletions_IsAnArgumentExceptionNamingTheProtocolsThatCarryIt()
    {
        using var client = Client(YuHuanProtocol.ChatCompletions);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("Run it.", new ChatOptions { Tools = [new HostedCodeInterpreterTool()] }));

        Assert.Contains("Messages", error.Message, StringComparison.Ordinal);
        Assert.Contains("Responses", error.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
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

    private static ChatOptions Stateless(YuHuanProtocol protocol) =>
        protocol == YuHuanProtocol.Responses ? new ChatOptions { AdditionalProperties = new() { ["store"] = false } } : new ChatOptions();

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
