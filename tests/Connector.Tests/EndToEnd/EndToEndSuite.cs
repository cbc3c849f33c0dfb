using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// The client against the emulator over real loopback HTTP, the happy paths of a whole conversation: text and
/// reasoning streamed or whole, tool calls, usage, finish reasons, the function-invoking loop, and the requests as
/// the emulator recorded them. Every case means the same on each protocol; a subclass names the protocol and reads
/// its request format through the hooks below. Faults, retries and dropped connections are the reliability suites'.
/// </summary>
public abstract class EndToEndSuite : EmulatorTestBase
{
    /// <summary>Gets the protocol under test.</summary>
    protected abstract YuHuanProtocol Protocol { get; }

    /// <summary>Gets the path the protocol is served at, such as <c>/v1/chat/completions</c>.</summary>
    protected abstract string Path { get; }

    /// <summary>Gets the prefix of the response ids the emulator makes up for the protocol.</summary>
    protected abstract string ResponseIdPrefix { get; }

    /// <summary>Gets a value indicating whether the protocol reports reasoning tokens apart (Messages has no such field).</summary>
    protected abstract bool ReportsReasoningTokens { get; }

    /// <summary>Asserts the request carried the key and any other header the protocol requires.</summary>
    protected abstract void AssertProtocolHeaders(RecordedRequest request);

    /// <summary>Asserts the fields a streaming request of the protocol must carry beyond <c>"stream": true</c>.</summary>
    protected abstract void AssertStreamingFields(JsonElement body);

    /// <summary>Reads the system prompt the request carried, each piece in order.</summary>
    protected abstract IReadOnlyList<string> SentInstructions(JsonElement body);

    /// <summary>Reads the conversation turns the request carried: each turn's role and its text, tool traffic left out.</summary>
    protected abstract IReadOnlyList<(string Role, string Text)> SentTurns(JsonElement body);

    /// <summary>Reads the tool calls the request sent back as history: id, name and arguments.</summary>
    protected abstract IReadOnlyList<(string CallId, string Name, JsonElement Arguments)> SentToolCalls(JsonElement body);

    /// <summary>Reads the tool results the request carried: the call id and the result text.</summary>
    protected abstract IReadOnlyList<(string CallId, string Result)> SentToolResults(JsonElement body);

    /// <summary>Reads the reasoning texts the request sent back in assistant turns.</summary>
    protected abstract IReadOnlyList<string> SentReasoning(JsonElement body);

    /// <summary>Reads the stop sequences the request carried.</summary>
    protected abstract IReadOnlyList<string> SentStopSequences(JsonElement body);

    /// <summary>Reads the names of the tools the request advertised.</summary>
    protected abstract IReadOnlyList<string> SentToolNames(JsonElement body);

    /// <summary>Gets the request field of <see cref="ChatOptions.MaxOutputTokens"/>.</summary>
    protected virtual string MaxOutputTokensField => "max_tokens";

    /// <summary>Gets a value indicating whether the protocol has a field for <see cref="ChatOptions.StopSequences"/>.</summary>
    protected virtual bool CarriesStopSequences => true;

    /// <summary>
    /// Gets the options of a function-invoking loop whose every request must carry the whole history: as given, or, for a
    /// protocol whose server keeps conversations by default, with that turned off (the chained loop is the subclass's).
    /// </summary>
    protected virtual ChatOptions Stateless(ChatOptions options) => options;

    /// <summary>Returns the finish reason read from a text-only reply scripted with <paramref name="scripted"/>: the same where the protocol has a field for it.</summary>
    protected virtual ChatFinishReason FinishReasonRead(ChatFinishReason scripted) => scripted;

    [Fact]
    public async Task GetStreamingResponseAsync_Story_StreamsReasoningThenTextWithUsage()
    {
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
        Assert.StartsWith(ResponseIdPrefix, Assert.Single(responseIds), StringComparison.Ordinal);
        Assert.All(updates, u => Assert.Equal("yuhuan-test", u.ModelId));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(24, response.Usage!.InputTokenCount);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        if (ReportsReasoningTokens)
        {
            Assert.Equal(12, response.Usage.ReasoningTokenCount);
        }

        var request = Assert.Single(Emulator.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Path, request.Path);
        Assert.True(request.IsStreaming);
        AssertProtocolHeaders(request);
        AssertStreamingFields(request.Json);
        Assert.Equal("yuhuan-test", request.Json.GetProperty("model").GetString());
        Assert.Equal([("user", "Tell me a story.")], SentTurns(request.Json));
    }

    [Fact]
    public async Task GetResponseAsync_Story_MatchesTheStreamedStory()
    {
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
        Assert.StartsWith(ResponseIdPrefix, whole.ResponseId, StringComparison.Ordinal);
        Assert.NotEqual(streamed.ResponseId, whole.ResponseId);

        var requests = Emulator.Requests;
        Assert.Equal([true, false], requests.Select(r => r.IsStreaming));
        Assert.All(requests, r => Assert.Equal(Path, r.Path));
        AssertProtocolHeaders(requests[1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_ReasoningTextAndToolCalls_MapsEveryPartAndUsage(bool streaming)
    {
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
        Assert.Equal(ReportsReasoningTokens ? 4 : null, response.Usage.ReasoningTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ParallelToolCallsInFragments_EachCallOnceAndComplete()
    {
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
    [InlineData("stop", true)]
    [InlineData("stop", false)]
    [InlineData("length", true)]
    [InlineData("length", false)]
    [InlineData("content_filter", true)]
    [InlineData("content_filter", false)]
    [InlineData("tool_calls", true)]
    [InlineData("tool_calls", false)]
    public async Task GetResponseAsync_FinishReason_MapsToTheSameChatFinishReason(string reason, bool streaming)
    {
        var finishReason = new ChatFinishReason(reason);
        Emulator.Enqueue(new EmulatorReply().AddText("Cut here.").WithFinishReason(finishReason));
        using var client = CreateSuiteClient();

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "hi")]);

        Assert.Equal(FinishReasonRead(finishReason), response.FinishReason);
        Assert.Equal("Cut here.", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_EndpointWithoutTrailingSlash_Works()
    {
        using var client = CreateSuiteClient(o => o.Endpoint = new Uri(Emulator.Endpoint.AbsoluteUri.TrimEnd('/')));

        var response = await client.GetResponseAsync("Tell me a story.");

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(Path, Assert.Single(Emulator.Requests).Path);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_HistoryAndOptions_RecordedRequestCarriesThem(bool streaming)
    {
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
        Assert.Equal(["Answer in one word.", "Be terse."], SentInstructions(body));
        Assert.Equal(
            [("user", "Sky colour?"), ("assistant", "Which sky?"), ("user", "Earth's, by day. ünïcødé 🎉")],
            SentTurns(body));
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(321, body.GetProperty(MaxOutputTokensField).GetInt32());
        Assert.Equal(CarriesStopSequences ? ["END"] : [], SentStopSequences(body));
        Assert.Equal(["lookup"], SentToolNames(body));
        Assert.Empty(SentToolCalls(body));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseFunctionInvocation_ToolLoop_RunsFunctionAndSendsCallAndResultBack(bool streaming)
    {
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

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "Weather in Paris?")], Stateless(new ChatOptions { Tools = [weather] }));

        Assert.Equal(["Paris"], calledWith);
        Assert.EndsWith("It is sunny in Paris.", response.Text, StringComparison.Ordinal);
        var requests = Emulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(streaming, r.IsStreaming));
        Assert.Empty(SentToolCalls(requests[0].Json));
        var call = Assert.Single(SentToolCalls(requests[1].Json));
        Assert.Equal(("call_w", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", call.Arguments.GetProperty("city").GetString());
        Assert.Equal([("call_w", "sunny in Paris")], SentToolResults(requests[1].Json));
        Assert.Equal([("user", "Weather in Paris?")], SentTurns(requests[1].Json).Where(t => t.Text.Length > 0));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseFunctionInvocation_ToolLoopWithSignedReasoning_SendsTheReasoningBack(bool streaming)
    {
        Emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("I should add.", chunkSize: 4, signature: "sig-add-1")
                .AddToolCall("call_add", "add", """{"a":2,"b":3}""", fragments: 2),
            EmulatorReply.Text("2 + 3 = 5"));
        var add = AIFunctionFactory.Create((int a, int b) => a + b, "add");
        using var inner = CreateSuiteClient();
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var response = await GetAsync(client, streaming, [new(ChatRole.User, "2+3?")], Stateless(new ChatOptions { Tools = [add] }));

        Assert.EndsWith("2 + 3 = 5", response.Text, StringComparison.Ordinal);
        var second = Emulator.Requests[1].Json;
        Assert.Equal(["I should add."], SentReasoning(second));
        Assert.Equal([("call_add", "5")], SentToolResults(second));
    }

    /// <summary>Creates a client of the protocol under test, aimed at the emulator.</summary>
    protected YuHuanChatClient CreateSuiteClient(Action<YuHuanChatClientOptions>? configure = null) => CreateClient(o =>
    {
        o.Protocol = Protocol;
        configure?.Invoke(o);
    });

    /// <summary>Gets a response, streamed (and put together from its updates) or whole.</summary>
    protected static async Task<ChatResponse> GetAsync(IChatClient client, bool streaming, IList<ChatMessage> messages, ChatOptions? options = null)
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
    protected static string ReasoningOf(ChatResponse response) =>
        string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));

    /// <summary>Parses a JSON string into an element that outlives its document.</summary>
    protected static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
