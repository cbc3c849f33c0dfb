using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Hosted tools in a Chat Completions request (web search only), and <c>url_citation</c> annotations in its answers.</summary>
public sealed class ChatCompletionsHostedToolTests
{
    private const string Complete = """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}""";

    private static readonly JsonElement Schema = JsonElement.Parse("""{"type":"object","properties":{}}""");

    public static TheoryData<string, int> Deliveries => Sse.Deliveries;

    [Fact]
    public async Task GetResponseAsync_WebSearch_WritesWebSearchOptionsBesideTheFunctionTools()
    {
        var handler = new ReplayHandler(Complete, "application/json");
        using var client = handler.CreateClient();

        await client.GetResponseAsync("hi", new ChatOptions
        {
            Tools =
            [
                new HostedWebSearchTool(new Dictionary<string, object?>
                {
                    ["search_context_size"] = "high",
                    ["user_location"] = JsonElement.Parse("""{"type":"approximate","approximate":{"country":"FR"}}"""),
                }),
                AIFunctionFactory.CreateDeclaration("f", null, Schema),
            ],
            ToolMode = ChatToolMode.Auto,
        });

        JsonAssert.BodyEqual(
            $$$$"""
            {"model":"test-model","messages":[{"role":"user","content":"hi"}],"stream":false,
             "tools":[{"type":"function","function":{"name":"f","parameters":{{{{Schema.GetRawText()}}}}}}],
             "web_search_options":{"search_context_size":"high","user_location":{"type":"approximate","approximate":{"country":"FR"}}},
             "tool_choice":"auto"}
            """,
            handler.RequestBodies[0]);
    }

    [Fact]
    public async Task GetResponseAsync_OnlyWebSearch_WritesEmptyOptionsAndNoToolsOrToolChoice()
    {
        var handler = new ReplayHandler(Complete, "application/json");
        using var client = handler.CreateClient();

        await client.GetResponseAsync("hi", new ChatOptions { Tools = [new HostedWebSearchTool()], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false });

        JsonAssert.BodyEqual(
            """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"stream":false,"web_search_options":{}}""",
            handler.RequestBodies[0]);
    }

    /// <summary>Gets the hosted tools other than web search, each with the words naming the protocols that carry it (from their kits).</summary>
    public static TheoryData<AITool, string> Refused
    {
        get
        {
            var data = new TheoryData<AITool, string>();
            AITool[] tools =
            [
                new HostedCodeInterpreterTool(),
                new HostedMcpServerTool("wiki", "https://mcp.example.test"),
                new HostedFileSearchTool(),
#pragma warning disable MEAI001 // Image generation is experimental in Microsoft.Extensions.AI.
                new HostedImageGenerationTool(),
#pragma warning restore MEAI001
            ];
            foreach (var tool in tools)
            {
                data.Add(tool, "it is carried by " + TestProtocols.Carrying(tool));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void GetResponseAsync_HostedToolOtherThanWebSearch_ThrowsNamingTheToolAndTheProtocolsThatCarryIt(AITool tool, string carriers)
    {
        using var client = new ReplayHandler(Complete, "application/json").CreateClient();

        var ex = Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync("hi", new ChatOptions { Tools = [tool] }));

        Assert.Contains(tool.GetType().Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Chat Completions", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Chat Completions", carriers, StringComparison.Ordinal);
        Assert.Contains(carriers, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetStreamingResponseAsync_TwoWebSearches_Throws()
    {
        using var client = new ReplayHandler(Complete, "application/json").CreateClient();

        var ex = Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync("hi", new ChatOptions { Tools = [new HostedWebSearchTool(), new HostedWebSearchTool()] }));

        Assert.Contains("web_search_options", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ToolsSuppliedByAdditionalProperties_ReplaceTheWebSearch()
    {
        var handler = new ReplayHandler(Complete, "application/json");
        using var client = handler.CreateClient();

        await client.GetResponseAsync("hi", new ChatOptions
        {
            Tools = [new HostedWebSearchTool(), new HostedCodeInterpreterTool()],
            AdditionalProperties = new() { ["tools"] = JsonElement.Parse("[]") },
        });

        var body = JsonElement.Parse(handler.RequestBodies[0]);
        Assert.False(body.TryGetProperty("web_search_options", out _));
        JsonAssert.Equal("[]", body.GetProperty("tools"));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_UrlCitations_BecomeCitationAnnotationsOnTheText(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"role":"assistant","content":"Paris is sunny"}"""),
            ChatCompletionsSse.Chunk("""{"content":" today.","annotations":[{"type":"url_citation","url_citation":{"url":"https://weather.example.test/paris","title":"Paris weather","start_index":0,"end_index":14}}]}"""),
            ChatCompletionsSse.Chunk("""{"annotations":[{"type":"url_citation","url":"https://news.example.test/","title":"News","start_index":15,"end_index":21}]}"""),
            ChatCompletionsSse.Chunk("{}", "stop"),
            "[DONE]");

        var updates = await ReplayHandler.CollectAsync(sse, chunk);

        var annotated = updates.SelectMany(u => u.Contents).OfType<TextContent>().Where(t => t.Annotations is { Count: > 0 }).ToList();
        Assert.Equal(2, annotated.Count);
        Assert.Equal(" today.", annotated[0].Text);
        Assert.Equal(string.Empty, annotated[1].Text);
        AssertCitation(annotated[0].Annotations![0], "https://weather.example.test/paris", "Paris weather", 0, 14);
        AssertCitation(annotated[1].Annotations![0], "https://news.example.test/", "News", 15, 21);
        var merged = updates.ToChatResponse();
        Assert.Equal("Paris is sunny today.", merged.Text);
        Assert.Equal(2, merged.Messages.SelectMany(m => m.Contents).SelectMany(c => c.Annotations ?? []).Count());
    }

    [Fact]
    public async Task GetResponseAsync_MessageAnnotations_BecomeCitationAnnotationsOnTheText()
    {
        var handler = new ReplayHandler(
            """
            {"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny.",
             "annotations":[{"type":"url_citation","url_citation":{"url":"https://weather.example.test/","title":"Weather","start_index":6,"end_index":11}},
                            {"type":"file_citation","file_citation":{"file_id":"file_1","snippet":"sunny"}}]},"finish_reason":"stop"}]}
            """,
            "application/json");
        using var client = handler.CreateClient();

        var response = await client.GetResponseAsync("hi");

        var text = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextContent>());
        Assert.Equal("It is sunny.", text.Text);
        Assert.Equal(2, text.Annotations!.Count);
        AssertCitation(text.Annotations[0], "https://weather.example.test/", "Weather", 6, 11);
        var file = Assert.IsType<CitationAnnotation>(text.Annotations[1]);
        Assert.Equal("file_1", file.FileId);
        Assert.Equal("sunny", file.Snippet);
        Assert.Null(file.AnnotatedRegions);
        Assert.Equal("file_citation", ((JsonElement)file.RawRepresentation!).GetProperty("type").GetString());
    }

    private static void AssertCitation(AIAnnotation annotation, string url, string title, int start, int end)
    {
        var citation = Assert.IsType<CitationAnnotation>(annotation);
        Assert.Equal(new Uri(url), citation.Url);
        Assert.Equal(title, citation.Title);
        var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citation.AnnotatedRegions!));
        Assert.Equal(start, region.StartIndex);
        Assert.Equal(end, region.EndIndex);
    }
}
