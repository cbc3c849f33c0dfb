using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// The client against the emulator over real loopback HTTP, the happy paths of a whole conversation: text and
/// reasoning streamed or whole, tool calls, usage, finish reasons, the function-invoking loop, and the requests as
/// the emulator recorded them. Every case means the same on each protocol of <see cref="TestProtocols"/>, whose kit
/// reads its request format. Faults, retries and dropped connections are the reliability suites'.
/// </summary>
public sealed class EndToEndTests : EmulatorTestBase
{
    public static TheoryData<YuHuanProtocol, bool> WithStreaming => TestProtocols.Cross(true, false);

    public static TheoryData<YuHuanProtocol, string, bool> WithReasonAndStreaming => TestProtocols.Cross(new TheoryData<string, bool>
    {
        { "stop", true },
        { "stop", false },
        { "length", true },
        { "length", false },
        { "content_filter", true },
        { "content_filter", false },
        { "tool_calls", true },
        { "tool_calls", false },
    });

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingResponseAsync_Story_StreamsReasoningThenTextWithUsage(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        using var client = CreateSuiteClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Tell me a story."))
        {
            updates.Add(update);
        }

        var contents = updates.SelectMany(u => u.Contents).ToList();
        var firstReasoning = contents.FindIndex(c => c is TextReasoningContent);
        var firstText = contents.FindIndex(c => c is TextContent);
        Assert.True(firstReasoning >= 0 && firstText > firstReasoning, "reasoning comes before text");
        Assert.True(updates.Count(u => u.Contents.OfType<TextContent>().Any()) > 5, "text arrives in many updates");
        var responseIds = updates.Select(u => u.ResponseId).Distinct().ToList();
        Assert.StartsWith(Wire.ResponseIdPrefix, Assert.Single(responseIds), StringComparison.Ordinal);
        Assert.All(updates, u => Assert.Equal("yuhuan-test", u.ModelId));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(24, response.Usage!.InputTokenCount);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        if (Wire.ReportsReasoningTokens)
        {
            Assert.Equal(12, response.Usage.ReasoningTokenCount);
        }

        var request = Assert.Single(Emulator.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Wire.Path, request.Path);
        Assert.True(request.IsStreaming);
        Wire.AssertProtocolHeaders(request, ApiKey);
        Wire.AssertStreamingFields(request.Json);
        Assert.Equal("yuhuan-test", request.Json.GetProperty("model").GetString());
        Assert.Equal([("user", "Tell me a story.")], Wire.Turns(request.Json));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetResponseAsync_Story_MatchesTheStreamedStory(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        using var client = CreateSuiteClient();

        var streamed = await GetAsync(client, streaming: true, [new(ChatRole.User, "Tell me a story.")]);
        var whole = await client.GetResponseAsync("Tell me a story.");

        var message = Assert.Single(whole.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.True(whole.Text.Length > 200, "the whole story arrives");
        Assert.Equal(streamed.Text, whole.Text);
        Assert.Equal(ReasoningOf(streamed), ReasoningOf(whole));
        Assert.Equal(ChatFinishReason.Stop, whole.FinishReason);
        Assert.Equal(streamed.Usage!.InputTokenCount, whole.Usage!.InputTokenCount);
        Assert.Equal(streamed.Usage.OutputTokenCount, whole.Usage.OutputTokenCount);
        Assert.StartsWith(Wire.ResponseIdPrefix, whole.ResponseId, StringComparison.Ordinal);
        Assert.NotEqual(streamed.ResponseId, whole.ResponseId);

        var requests = Emulator.Requests;
        Assert.Equal([true, false], requests.Select(r => r.IsStreaming));
        Assert.All(requests, r => Assert.Equal(Wire.Path, r.Path));
        Wire.AssertProtocolHeaders(requests[1], ApiKey);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetResponseAsync_IncludeRawRepresentation_TheResponseCarriesTheObjectItWasReadFrom(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        using var raw = CreateSuiteClient(o => o.IncludeRawRepresentation = true);
        using var plain = CreateSuiteClient();

        var whole = await raw.GetResponseAsync("Tell me a story.");
        var without = await plain.GetResponseAsync("Tell me a story.");

        var json = Assert.IsType<JsonElement>(whole.RawRepresentation);
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        Assert.Equal(whole.ResponseId, json.GetProperty("id").GetString());
        Assert.Null(without.RawRepresentation);
        Assert.Equal(without.Text, whole.Text);
    }

    [Theory]
    [MemberData(nameof(WithStreaming))]
    public async Task GetResponseAsync_ReasoningTextAndToolCalls_MapsEveryPartAndUsage(YuHuanProtocol protocol, bool streaming)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(new EmulatorReply()
            .WithId("resp-42")
            .AddReasoning("Need the weather.", chunkSize: 5)
            .AddText("Checking.", chunkSize: 3)
            .AddToolCall("call_1", "get_weather", """{"city":"Paris"}""", fragments: 3)
            .AddToolCall(null, "get_time", """{"zone":"CET"}""")
            .WithUsage(30, 12, cachedInputTokens: 10, reasoningTokens: 4));
        using var client = CreateSuiteClient();

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Weather and time in Paris?")]);

        Assert.Equal(streaming, Assert.Single(Emulator.Requests).IsStreaming);
        Assert.Equal("resp-42", response.ResponseId);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("Need the weather.", ReasoningOf(response));
        Assert.Equal("Checking.", message.Text);
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["get_weather", "get_time"], calls.Select(c => c.Name));
        Assert.Equal("call_1", calls[0].CallId);
        Assert.False(string.IsNullOrEmpty(calls[1].CallId));
        Assert.Equal("Paris", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal("CET", ((JsonElement)calls[1].Arguments!["zone"]!).GetString());
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal(30, response.Usage!.InputTokenCount);
        Assert.Equal(12, response.Usage.OutputTokenCount);
        Assert.Equal(10, response.Usage.CachedInputTokenCount);
        Assert.Equal(42, response.Usage.TotalTokenCount);
        Assert.Equal(Wire.ReportsReasoningTokens ? 4 : null, response.Usage.ReasoningTokenCount);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingResponseAsync_ParallelToolCallsInFragments_EachCallOnceAndComplete(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(new EmulatorReply()
            .AddToolCall("call_a", "search", """{"query":"güte \"quoted\" \\ path 🎉","limit":5}""", fragments: 7)
            .AddToolCall("call_b", "search", """{"query":"second","limit":1}""", fragments: 4)
            .WithLineEnding("\r\n")
            .WithComments());
        using var client = CreateSuiteClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Search twice."))
        {
            updates.Add(update);
        }

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal("güte \"quoted\" \\ path 🎉", ((JsonElement)calls[0].Arguments!["query"]!).GetString());
        Assert.Equal(5, ((JsonElement)calls[0].Arguments!["limit"]!).GetInt32());
        Assert.Equal(1, ((JsonElement)calls[1].Arguments!["limit"]!).GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(WithReasonAndStreaming))]
    public async Task GetResponseAsync_FinishReason_MapsToTheSameChatFinishReason(YuHuanProtocol protocol, string reason, bool streaming)
    {
        UseProtocol(protocol);
        var finishReason = new ChatFinishReason(reason);
        Emulator.Enqueue(new EmulatorReply().AddText("Cut here.").WithFinishReason(finishReason));
        using var client = CreateSuiteClient();

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "hi")]);

        Assert.Equal(new ChatFinishReason(Wire.FinishReasonRead(reason, hasCalls: false)!), response.FinishReason);
        Assert.Equal("Cut here.", response.Text);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetResponseAsync_EndpointWithoutTrailingSlash_Works(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        using var client = CreateSuiteClient(o => o.Endpoint = new Uri(Emulator.Endpoint.AbsoluteUri.TrimEnd('/')));

        var response = await client.GetResponseAsync("Tell me a story.");

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(Wire.Path, Assert.Single(Emulator.Requests).Path);
    }

    [Theory]
    [MemberData(nameof(WithStreaming))]
    public async Task GetResponseAsync_HistoryAndOptions_RecordedRequestCarriesThem(YuHuanProtocol protocol, bool streaming)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.Text("Blue."));
        var lookup = AIFunctionFactory.Create((string term) => term, "lookup", "Looks a term up.");
        var options = new ChatOptions
        {
            Instructions = "Answer in one word.",
            Temperature = 0.25f,
            MaxOutputTokens = 321,
            StopSequences = ["END"],
            Tools = [lookup],
        };
        List<ChatMessage> history =
        [
            new(ChatRole.System, "Be terse."),
            new(ChatRole.User, "Sky colour?"),
            new(ChatRole.Assistant, "Which sky?"),
            new(ChatRole.User, "Earth's, by day. ünïcødé 🎉"),
        ];
        using var client = CreateSuiteClient();

        var response = await GetAsync(client, streaming, history, options);

        Assert.Equal("Blue.", response.Text);
        var request = Assert.Single(Emulator.Requests);
        var body = request.Json;
        Assert.Equal(streaming, request.IsStreaming);
        Assert.Equal(["Answer in one word.", "Be terse."], Wire.Instructions(body));
        Assert.Equal(
            [("user", "Sky colour?"), ("assistant", "Which sky?"), ("user", "Earth's, by day. ünïcødé 🎉")],
            Wire.Turns(body));
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(321, body.GetProperty(Wire.MaxOutputTokensField).GetInt32());
        Assert.Equal(Wire.CarriesStopSequences ? ["END"] : [], Wire.StopSequences(body));
        Assert.Equal(["lookup"], Wire.ToolNames(body));
        Assert.Empty(Wire.ToolCalls(body));
    }

    [Theory]
    [MemberData(nameof(WithStreaming))]
    public async Task UseFunctionInvocation_ToolLoop_RunsFunctionAndSendsCallAndResultBack(YuHuanProtocol protocol, bool streaming)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(
            new EmulatorReply().AddToolCall("call_w", "get_weather", """{"city":"Paris"}""", fragments: 3),
            EmulatorReply.Text("It is sunny in Paris."));
        var calledWith = new List<string>();
        var weather = AIFunctionFactory.Create(
            (string city) =>
            {
                calledWith.Add(city);
                return $"sunny in {city}";
            },
            "get_weather");
        using var inner = CreateSuiteClient();
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Weather in Paris?")], Wire.Stateless(new ChatOptions { Tools = [weather] }));

        Assert.Equal(["Paris"], calledWith);
        Assert.EndsWith("It is sunny in Paris.", response.Text, StringComparison.Ordinal);
        var requests = Emulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(streaming, r.IsStreaming));
        Assert.Empty(Wire.ToolCalls(requests[0].Json));
        var call = Assert.Single(Wire.ToolCalls(requests[1].Json));
        Assert.Equal(("call_w", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", call.Arguments.GetProperty("city").GetString());
        Assert.Equal([("call_w", "sunny in Paris")], Wire.ToolResults(requests[1].Json));
        Assert.Equal([("user", "Weather in Paris?")], Wire.Turns(requests[1].Json).Where(t => t.Text.Length > 0));
    }

    [Theory]
    [MemberData(nameof(WithStreaming))]
    public async Task UseFunctionInvocation_ToolLoopWithSignedReasoning_SendsTheReasoningBack(YuHuanProtocol protocol, bool streaming)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("I should add.", chunkSize: 4, signature: "sig-add-1")
                .AddToolCall("call_add", "add", """{"a":2,"b":3}""", fragments: 2),
            EmulatorReply.Text("2 + 3 = 5"));
        var add = AIFunctionFactory.Create((int a, int b) => a + b, "add");
        using var inner = CreateSuiteClient();
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "2+3?")], Wire.Stateless(new ChatOptions { Tools = [add] }));

        Assert.EndsWith("2 + 3 = 5", response.Text, StringComparison.Ordinal);
        var second = Emulator.Requests[1].Json;
        Assert.Equal(["I should add."], Wire.Reasoning(second).Select(piece => piece.Text));
        Assert.Equal([("call_add", "5")], Wire.ToolResults(second));
    }

    /// <summary>Creates a client of the protocol under test, aimed at the emulator.</summary>
    private YuHuanChatClient CreateSuiteClient(Action<YuHuanChatClientOptions>? configure = null) => CreateClient(o =>
    {
        o.Protocol = Protocol;
        configure?.Invoke(o);
    });

    /// <summary>Gets a response, streamed (and put together from its updates) or whole.</summary>
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

    /// <summary>Joins the reasoning texts of a response.</summary>
    private static string ReasoningOf(ChatResponse response) =>
        string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
}
