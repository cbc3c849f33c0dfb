using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using YuHuan.Connector.DependencyInjection;
using YuHuan.Connector.Testing;
using static YuHuan.Connector.Tests.Cassettes.CassetteRoundTrip;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>
/// Recording and replaying a client registered with <c>AddYuHuanChatClient</c>, whose requests go through
/// <c>IHttpClientFactory</c>: the session's handler joins the named client's pipeline
/// (<c>AddHttpMessageHandler(() =&gt; session.CreateHandler())</c>), every exchange is recorded into the one file, and a
/// replaying session's client, registered the same way, sees what the recording client saw.
/// </summary>
public sealed class CassetteHttpClientFactoryReplayTests
{
    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task SessionHandlerInTheFactoryPipeline_RecordsEveryExchange_AndReplaysThem(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);
        string live;
        await using (var gateway = await YuHuanEmulator.StartAsync())
        {
            gateway.ExpectedApiKey = Key;
            gateway.Enqueue(
                new EmulatorReply().AddReasoning("Count the vowels.", signature: "sig-v").AddText("Five vowels.").WithUsage(6, 4),
                EmulatorReply.Text("A, E, I, O and U.").WithUsage(7, 5));
            await using var recording = await CassetteSession.StartAsync(trip.Path, new CassetteOptions { Mode = CassetteMode.Record, GatewayEndpoint = gateway.Endpoint, ApiKey = Key });
            Assert.Equal(CassetteMode.Record, recording.Mode);
            live = await RunAsync(recording, protocol);
            Assert.Equal(2, gateway.Requests.Count);
        }

        var exchanges = Cassette.Load(trip.Path).Exchanges;
        Assert.Equal(2, exchanges.Count);
        Assert.Contains("How many vowels?", exchanges[0].Request.Body, StringComparison.Ordinal);
        Assert.Contains("Which are they?", exchanges[1].Request.Body, StringComparison.Ordinal);
        trip.AssertKeyNotInFile();

        await using var replaying = await CassetteSession.StartAsync(trip.Path, new CassetteOptions { Mode = CassetteMode.Replay });
        Assert.Equal(CassetteMode.Replay, replaying.Mode);

        var replayed = await RunAsync(replaying, protocol);

        Assert.Equal(live, replayed);
        Assert.Contains("A, E, I, O and U.", replayed, StringComparison.Ordinal);
        Assert.Empty(replaying.Emulator!.UnplayedExchanges);
    }

    [Fact]
    public async Task RecorderMadeInTheHandlerFactory_RecordsThroughTheClientsPipeline()
    {
        // One pipeline is built for the named client, so one recorder writes the file; several pipelines (a handler
        // lifetime running out) would each start the file anew, which a session's CreateHandler does not.
        using var trip = new CassetteRoundTrip(YuHuanProtocol.ChatCompletions);
        CallResult live;
        await using (var gateway = await YuHuanEmulator.StartAsync())
        {
            gateway.Enqueue(EmulatorReply.Text("Recorded through the factory."));
            var services = new ServiceCollection();
            services.AddYuHuanChatClient(o => Configure(o, gateway.Endpoint, Key, trip.Protocol));
            services.AddHttpClient(YuHuanServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => new CassetteRecorder(trip.Path));
            await using var provider = services.BuildServiceProvider();
            live = await StreamAsync(provider.GetRequiredService<IChatClient>(), [new(ChatRole.User, "Through the factory?")]);
        }

        Assert.Equal("Recorded through the factory.", live.Response!.Text);
        Assert.Equal("POST /v1/chat/completions", Assert.Single(Cassette.Load(trip.Path).Exchanges).Request.ToString());
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => StreamAsync(client, [new(ChatRole.User, "Through the factory?")]));

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Empty(replay.Unplayed);
    }

    /// <summary>Registers the client for <paramref name="session"/> with its handler in the factory's pipeline, then asks
    /// two questions, streamed and not; returns everything the caller saw.</summary>
    private static async Task<string> RunAsync(CassetteSession session, YuHuanProtocol protocol)
    {
        var services = new ServiceCollection();
        services.AddYuHuanChatClient(o => Configure(o, session.Endpoint, session.ApiKey, protocol));
        services.AddHttpClient(YuHuanServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(session.CreateHandler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        var streamed = await StreamAsync(client, [new(ChatRole.User, "How many vowels?")]);
        var complete = await CallAsync(client, streaming: false, [new(ChatRole.User, "Which are they?")]);
        Assert.Null(streamed.Error);
        Assert.Null(complete.Error);
        return streamed.Observed + "\n" + complete.Observed;
    }

    private static void Configure(YuHuanChatClientOptions options, Uri endpoint, string key, YuHuanProtocol protocol)
    {
        options.Endpoint = endpoint;
        options.ApiKey = key;
        options.ModelId = Model;
        options.Protocol = protocol;
        options.AllowInsecureHttp = true;
    }
}
