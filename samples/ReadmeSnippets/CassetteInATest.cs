// README.md, "Record once, replay offline (cassettes)"; src/Connector.Testing/README.md. It runs here against the
// cassette committed in samples/CassetteTests (copied to Cassettes/ next to the tests by ReadmeSnippets.csproj).
// <snippet:cassette-test>
using Microsoft.Extensions.AI;
using Xunit;
using YuHuan.Connector;
using YuHuan.Connector.Testing;

// </snippet:cassette-test>
namespace ReadmeSnippets;

// <snippet:cassette-test>
public class WeatherCassetteTests
{
    [Fact]
    public async Task StreamedAnswer_NamesTheCity()
    {
        // Replays Cassettes/weather.jsonl when the file exists; otherwise records it against the gateway
        // with the key in YUHUAN_API_KEY. YUHUAN_CASSETTE_MODE=record|replay|record-if-missing overrides that.
        await using var session = await CassetteSession.StartAsync("Cassettes/weather.jsonl",
            new CassetteOptions { ApiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY") });
        using var http = session.CreateHttpClient();
        using IChatClient client = new YuHuanChatClient(new YuHuanChatClientOptions
        {
            Endpoint = session.Endpoint,   // the gateway when recording, a local emulator when replaying
            ApiKey = session.ApiKey,
            ModelId = "gpt-4o-mini",
        }, http);

        var response = await client.GetStreamingResponseAsync(
            "What is the weather like in Paris today? Answer in one sentence.").ToChatResponseAsync();

        Assert.Contains("Paris", response.Text, StringComparison.OrdinalIgnoreCase);
    }
}
// </snippet:cassette-test>
