using Microsoft.Extensions.AI;
using YuHuan.Connector;
using YuHuan.Connector.Testing;

namespace CassetteTests;

/// <summary>
/// Code that asks the gateway a question, tested with no network: <c>Cassettes/weather.jsonl</c> holds the exchange, and
/// the test replays it from a local emulator. Nothing in the test says which: the session decides.
/// </summary>
/// <remarks>
/// <para>The committed cassette was recorded against a local <see cref="YuHuanEmulator"/> scripted with a weather reply
/// (its ids read <c>chatcmpl-emu-1</c>). To re-record it against the gateway, from the repository root:
/// <c>YUHUAN_CASSETTE_MODE=record YUHUAN_API_KEY=sk-… dotnet test samples/CassetteTests</c> (and <c>YUHUAN_ENDPOINT</c>
/// for a gateway other than the default), then review the file and commit it. The key is never written to it.</para>
/// <para>Without <c>YUHUAN_CASSETTE_MODE</c> the session replays the file because it exists (the default mode is
/// <see cref="CassetteMode.RecordIfMissing"/>); <c>YUHUAN_CASSETTE_MODE=replay</c> insists on it.</para>
/// </remarks>
public sealed class WeatherCassetteTests
{
    [Fact]
    public async Task StreamedAnswer_NamesTheCityAskedAbout()
    {
        var options = new CassetteOptions { ApiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY") };
        if (Environment.GetEnvironmentVariable("YUHUAN_ENDPOINT") is { Length: > 0 } endpoint)
        {
            options.GatewayEndpoint = new Uri(endpoint);    // where a recording is made; a replay never leaves the machine
        }

        await using var session = await CassetteSession.StartAsync(CassettePaths.Of("weather.jsonl"), options);
        using var http = session.CreateHttpClient();
        using IChatClient client = new YuHuanChatClient(
            new YuHuanChatClientOptions
            {
                Endpoint = session.Endpoint,    // the gateway when recording, the emulator when replaying
                ApiKey = session.ApiKey,
                ModelId = "gpt-4o-mini",        // part of the request: change it and the cassette must be recorded again
            },
            http);

        var updates = await client.GetStreamingResponseAsync("What is the weather like in Paris today? Answer in one sentence.").ToListAsync();
        var response = updates.ToChatResponse();

        Assert.True(updates.Count > 1, $"Expected the reply in several streamed updates, got {updates.Count}.");
        Assert.Contains("Paris", response.Text, StringComparison.OrdinalIgnoreCase);
        if (session.Emulator is { } emulator)
        {
            Assert.Empty(emulator.UnplayedExchanges);   // the replay used every recorded exchange
        }
    }
}
