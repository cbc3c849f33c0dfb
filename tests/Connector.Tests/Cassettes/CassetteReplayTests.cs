using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using static YuHuan.Connector.Tests.Cassettes.CassetteRoundTrip;

#pragma warning disable MEAI001 // Background responses are experimental in Microsoft.Extensions.AI.

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>
/// Record-versus-replay equivalence: what a client saw of the emulator's scripted replies, recorded through a
/// <see cref="CassetteRecorder"/>, is what a client sees of a fresh emulator serving the saved file: the same updates or
/// response, over every protocol, streamed and not, through a tool loop and through a background response that is
/// resumed and polled; every exchange is replayed once, and the key is nowhere in the file. A request that differs from
/// every recorded one is refused with a message naming the nearest and the first difference.
/// </summary>
public sealed class CassetteReplayTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Explain the tides in one sentence.")];

    [Theory]
    [MemberData(nameof(TestProtocols.AllStreamedOrNot), MemberType = typeof(TestProtocols))]
    public async Task ReasoningTextAndUsage_ReplayAsRecorded(YuHuanProtocol protocol, bool streaming)
    {
        using var trip = new CassetteRoundTrip(protocol);
        var reply = new EmulatorReply()
            .AddReasoning("The moon pulls the water; the earth turns under the bulge.", chunkSize: 7, signature: "sig-tides-1")
            .AddText("The moon's pull raises bulges of water that the turning earth passes through twice a day.", chunkSize: 9)
            .WithUsage(inputTokens: 31, outputTokens: 57, reasoningTokens: 12);

        var live = await trip.RecordAsync(e => e.Enqueue(reply), client => CallAsync(client, streaming, Prompt));

        Assert.Equal("no error", Describe(live.Error));
        var response = live.Response!;
        Assert.Equal("The moon's pull raises bulges of water that the turning earth passes through twice a day.", response.Text);
        Assert.Contains(response.Messages.SelectMany(m => m.Contents), c => c is TextReasoningContent);
        Assert.Equal(57, response.Usage?.OutputTokenCount);
        var exchange = Assert.Single(Cassette.Load(trip.Path).Exchanges);
        Assert.Equal(200, exchange.StatusCode);
        Assert.Equal(ExpectedOutcome(streaming), exchange.Outcome);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming, Prompt));

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.AllStreamedOrNot), MemberType = typeof(TestProtocols))]
    public async Task ToolLoop_BothExchangesReplay_AndTheFunctionRunsAgainWithTheSameArguments(YuHuanProtocol protocol, bool streaming)
    {
        using var trip = new CassetteRoundTrip(protocol);
        var calls = new List<string>();
        var weather = AIFunctionFactory.Create(
            (string city) =>
            {
                calls.Add(city);
                return $"sunny in {city}";
            },
            "get_weather");
        var options = new ChatOptions { Tools = [weather] };
        ChatMessage[] question = [new(ChatRole.User, "Weather in Paris?")];
        static IChatClient Invoking(IChatClient inner) => new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var live = await trip.RecordAsync(
            e => e.Enqueue(
                new EmulatorReply().AddToolCall("call_w", "get_weather", """{"city":"Paris"}""", fragments: 3).WithUsage(12, 8),
                EmulatorReply.Text("It is sunny in Paris.").WithUsage(20, 6)),
            async client => WithoutInvokerIds(await CallAsync(client, streaming, question, options)),
            wrap: Invoking);

        Assert.Equal("no error", Describe(live.Error));
        Assert.EndsWith("It is sunny in Paris.", live.Response!.Text, StringComparison.Ordinal);
        Assert.Equal(["Paris"], calls);
        var exchanges = Cassette.Load(trip.Path).Exchanges;
        Assert.Equal(2, exchanges.Count);
        Assert.All(exchanges, e => Assert.Equal(ExpectedOutcome(streaming), e.Outcome));
        Assert.Contains("sunny in Paris", exchanges[1].Request.Body, StringComparison.Ordinal);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(async client => WithoutInvokerIds(await CallAsync(client, streaming, question, options)), wrap: Invoking);

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Equal(live.Response!.Text, replay.Result.Response!.Text);
        Assert.Equal(["Paris", "Paris"], calls);
        Assert.Equal(2, replay.Requests.Count);
        Assert.Empty(replay.Unplayed);
    }

    /// <summary>Leaves out the ids and times the function-invoking client makes up for the tool results it streams (new ones
    /// each run): everything else in the updates came from the server.</summary>
    private static CallResult WithoutInvokerIds(CallResult result)
    {
        foreach (var update in result.Updates.Where(u => u.Role == ChatRole.Tool))
        {
            Assert.Contains(update.Contents, c => c is FunctionResultContent);
            update.ResponseId = null;
            update.MessageId = null;
            update.CreatedAt = null;
        }

        return result;
    }

    [Fact]
    public async Task BackgroundStreamCutAndResumed_ReplaysTheSameUpdates_FromTheRecordedGet()
    {
        using var trip = new CassetteRoundTrip(YuHuanProtocol.Responses);
        var reply = new EmulatorReply();
        foreach (var piece in Enumerable.Range(0, 10).Select(i => $"w{i} "))
        {
            reply.AddText(piece, chunkSize: piece.Length);
        }

        var options = new ChatOptions { AllowBackgroundResponses = true };

        var live = await trip.RecordAsync(e => e.Enqueue(reply.WithUsage(3, 10).DropConnectionAfter(7)), client => StreamAsync(client, Prompt, options));

        Assert.Equal("no error", Describe(live.Error));
        Assert.Equal("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ", live.Updates.ToChatResponse().Text);
        var exchanges = Cassette.Load(trip.Path).Exchanges;
        Assert.Equal(["POST", "GET"], exchanges.Select(e => e.Request.Method));
        Assert.Equal([CassetteOutcome.Cut, ExpectedOutcome(streaming: true)], exchanges.Select(e => e.Outcome));
        Assert.StartsWith("/v1/responses/", exchanges[1].Request.Path, StringComparison.Ordinal);
        Assert.Contains("stream=true", exchanges[1].Request.Query, StringComparison.Ordinal);
        Assert.Contains("starting_after=", exchanges[1].Request.Query, StringComparison.Ordinal);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => StreamAsync(client, Prompt, options));

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Equal(["POST", "GET"], replay.Requests.Select(r => r.Method));
        Assert.Empty(replay.Unplayed);
    }

    [Fact]
    public async Task BackgroundResponsePolled_ReplaysEachPollInOrder()
    {
        using var trip = new CassetteRoundTrip(YuHuanProtocol.Responses);

        var live = await trip.RecordAsync(e => e.Enqueue(EmulatorReply.Text("Done at last.").WithUsage(4, 3).WithPollsBeforeCompletion(2)), PollAsync);

        Assert.Equal(4, live.Count);
        Assert.Equal("Done at last.", live[^1].Text);
        var exchanges = Cassette.Load(trip.Path).Exchanges;
        Assert.Equal(["POST", "GET", "GET", "GET"], exchanges.Select(e => e.Request.Method));

        // The three polls are the same request; the replay must answer them in the recorded order.
        Assert.Single(exchanges.Skip(1).Select(e => e.Request.ToString()).Distinct());
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(PollAsync);

        Assert.Equal(Serialize(live), Serialize(replay.Result));
        Assert.Empty(replay.Unplayed);

        static async Task<List<ChatResponse>> PollAsync(IChatClient client)
        {
            var responses = new List<ChatResponse> { await client.GetResponseAsync("Work slowly.", new ChatOptions { AllowBackgroundResponses = true }) };
            while (responses[^1].ContinuationToken is { } token)
            {
                Assert.True(responses.Count < 10, "the background response never completed");
                responses.Add(await client.GetResponseAsync([], new ChatOptions { ContinuationToken = token }));
            }

            return responses;
        }
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ChangedPrompt_IsRefused_NamingTheNearestRecordedExchangeAndTheFirstDifference(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);
        await trip.RecordAsync(e => e.Enqueue(EmulatorReply.Text("Recorded answer.")), client => client.GetResponseAsync(Prompt));
        trip.AssertKeyNotInFile();
        const string Changed = "Explain the seasons in one sentence.";

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming: true, [new(ChatRole.User, Changed)]));

        var error = Assert.IsType<YuHuanApiException>(replay.Result.Error);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("cassette_mismatch", error.ErrorType);
        Assert.Contains("Nearest: exchange 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("first difference: body at $.", error.Message, StringComparison.Ordinal);
        Assert.Contains("recorded \"Explain the tides in one sentence.\"", error.Message, StringComparison.Ordinal);
        Assert.Contains($"live \"{Changed}\"", error.Message, StringComparison.Ordinal);
        Assert.Empty(replay.Result.Updates);
        Assert.Single(replay.Unplayed);
    }
}
