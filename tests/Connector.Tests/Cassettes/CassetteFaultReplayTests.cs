using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using static YuHuan.Connector.Tests.Cassettes.CassetteRoundTrip;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>
/// Record-versus-replay equivalence when an exchange goes wrong: an error status gives the same exception; a rate limit
/// the client waits out and retries replays both exchanges, and one longer than the client waits gives the same
/// <see cref="YuHuanApiException.RetryAfter"/>; a server's word not to retry is kept; a stream the server cuts is recorded
/// as cut and replays the same updates, then the same failure; a stream the caller leaves early is recorded as abandoned
/// and replays the same first updates, after which the replaying server sees the connection close.
/// </summary>
public sealed class CassetteFaultReplayTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Name the planets in order.")];

    private const string Planets = "Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus and Neptune, from the sun outwards. THE-END";

    [Theory]
    [MemberData(nameof(TestProtocols.AllStreamedOrNot), MemberType = typeof(TestProtocols))]
    public async Task ErrorStatus_ReplaysTheSameException(YuHuanProtocol protocol, bool streaming)
    {
        using var trip = new CassetteRoundTrip(protocol);

        var live = await trip.RecordAsync(
            e => e.Enqueue(EmulatorReply.HttpError(400, "The prompt names a planet that is not there.", "invalid_request_error", code: "bad_planet")),
            client => CallAsync(client, streaming, Prompt));

        var error = Assert.IsType<YuHuanApiException>(live.Error);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("not there", error.Message, StringComparison.Ordinal);
        var exchange = Assert.Single(Cassette.Load(trip.Path).Exchanges);
        Assert.Equal((400, CassetteOutcome.Complete), (exchange.StatusCode, exchange.Outcome));
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming, Prompt));

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Single(replay.Requests);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.AllStreamedOrNot), MemberType = typeof(TestProtocols))]
    public async Task RateLimitedThenAnswered_ReplaysTheRetry(YuHuanProtocol protocol, bool streaming)
    {
        using var trip = new CassetteRoundTrip(protocol);
        static void Retrying(YuHuanChatClientOptions o) => o.MaxRetries = 2;

        var live = await trip.RecordAsync(
            e => e.Enqueue(
                EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error", retryAfter: TimeSpan.Zero),
                EmulatorReply.Text(Planets).WithUsage(9, 30)),
            client => CallAsync(client, streaming, Prompt),
            Retrying);

        Assert.Equal("no error", Describe(live.Error));
        Assert.Equal(Planets, live.Response!.Text);
        var exchanges = Cassette.Load(trip.Path).Exchanges;
        Assert.Equal([429, 200], exchanges.Select(e => e.StatusCode ?? 0));
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "0"), exchanges[0].Response!.Headers);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming, Prompt), Retrying);

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Equal(2, replay.Requests.Count);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RateLimitedLongerThanTheClientWaits_ReplaysTheSameRetryAfter(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);

        var live = await trip.RecordAsync(
            e => e.Enqueue(EmulatorReply.HttpError(429, "Come back in half a minute.", "rate_limit_error", retryAfter: TimeSpan.FromSeconds(30))),
            client => CallAsync(client, streaming: true, Prompt));

        var error = Assert.IsType<YuHuanApiException>(live.Error);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming: true, Prompt));

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ServerSayingNotToRetry_ReplayDoesNotRetryEither(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);
        static void Retrying(YuHuanChatClientOptions o) => o.MaxRetries = 2;

        var live = await trip.RecordAsync(
            e => e.Enqueue(EmulatorReply.HttpError(503, "Down for maintenance.", "server_error").WithHeader("x-should-retry", "false")),
            client => CallAsync(client, streaming: true, Prompt),
            Retrying);

        Assert.Equal(503, Assert.IsType<YuHuanApiException>(live.Error).StatusCode);
        Assert.Single(Cassette.Load(trip.Path).Exchanges);

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming: true, Prompt), Retrying);

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Single(replay.Requests);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StreamCutByTheServer_RecordedAsCut_ReplaysTheSameUpdatesThenTheSameFailure(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);

        var live = await trip.RecordAsync(
            e => e.Enqueue(new EmulatorReply().AddText(Planets, chunkSize: 8).DropConnectionAfter(5)),
            client => StreamAsync(client, Prompt));

        var error = Assert.IsType<YuHuanApiException>(live.Error);
        Assert.Null(error.StatusCode);
        Assert.NotEmpty(live.Updates);
        Assert.DoesNotContain("THE-END", live.Response!.Text, StringComparison.Ordinal);
        var exchange = Assert.Single(Cassette.Load(trip.Path).Exchanges);
        Assert.Equal((200, CassetteOutcome.Cut), (exchange.StatusCode, exchange.Outcome));
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => StreamAsync(client, Prompt));

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.IsType<YuHuanApiException>(replay.Result.Error);
        Assert.Equal(error.Message, replay.Result.Error!.Message);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StreamLeftEarlyByTheCaller_RecordedAsAbandoned_ReplaysTheSameFirstUpdates_AndTheConnectionCloses(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);
        static bool FirstText(ChatResponseUpdate update) => update.Text.Length > 0;

        // The live server holds the rest back, so what was sent before the caller left is all there is to record.
        var never = new TaskCompletionSource();
        var live = await trip.RecordAsync(
            e => e.Enqueue(new EmulatorReply().AddText(Planets, chunkSize: 8).PauseAfter(6, never.Task)),
            client => StreamAsync(client, Prompt, stopAfter: FirstText));

        Assert.Equal("no error", Describe(live.Error));
        Assert.Equal("Mercury,", live.Response!.Text);
        var exchange = Assert.Single(Cassette.Load(trip.Path).Exchanges);
        Assert.Equal((200, CassetteOutcome.Abandoned), (exchange.StatusCode, exchange.Outcome));
        Assert.DoesNotContain("THE-END", System.Text.Encoding.UTF8.GetString(exchange.ResponseBody()), StringComparison.Ordinal);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(async (client, emulator) =>
        {
            var result = await StreamAsync(client, Prompt, stopAfter: FirstText);
            await Assert.Single(emulator.Requests).ConnectionClosed.WaitAsync(TimeSpan.FromSeconds(10));
            return result;
        });

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Empty(replay.Unplayed);
    }
}
