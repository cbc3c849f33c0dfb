// README.md, "Record once, replay offline (cassettes)".
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using YuHuan.Connector.Testing;

namespace ReadmeSnippets;

internal static class CassetteSetup
{
    public static async Task RunAsync()
    {
        // <snippet:cassette-options>
        var options = new CassetteOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY"),   // sent when recording, never written
            GatewayEndpoint = new Uri("https://api.yuhuanstudio.com/v1/"),    // where recordings are made (the default)
            Mode = CassetteMode.Replay,           // YUHUAN_CASSETTE_MODE, when set, wins over this
            KeepPacing = true,                    // wait the recorded times; by default a replay sends at once
        };
        options.SecretHeaders.Add("x-tenant-token");          // its value is taken out of everything written
        options.SecretFields.Add("metadata.session_token");   // written as "[redacted]", not compared in a replay
        options.Secrets.Add("acct_7f3a9c");                   // any other value that must not reach the file
        options.VolatileFields.Add("metadata.request_id");    // may differ between the recording and a replay
        // </snippet:cassette-options>

        // <snippet:cassette-http-client-factory>
        await using var session = await CassetteSession.StartAsync("Cassettes/weather.jsonl", options);

        var services = new ServiceCollection();
        services.AddYuHuanChatClient(o =>
        {
            o.Endpoint = session.Endpoint;
            o.ApiKey = session.ApiKey;
            o.ModelId = "gpt-4o-mini";
        });
        services.AddHttpClient(YuHuanServiceCollectionExtensions.HttpClientName)
            .AddHttpMessageHandler(() => session.CreateHandler());   // records, or keeps requests on loopback

        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();
        // </snippet:cassette-http-client-factory>

        Console.WriteLine((await chat.GetResponseAsync("What is the weather like in Paris today?")).Text);
    }
}
