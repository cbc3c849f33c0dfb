using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

public sealed class CassetteSmokeTests : IDisposable
{
    private const string Key = "sk-smoke-0123456789abcdef";
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StreamedText_ReplaysTheSameUpdates(YuHuanProtocol protocol)
    {
        var path = Path.Combine(_folder, "smoke.jsonl");
        string live;
        await using (var emulator = await YuHuanEmulator.StartAsync())
        {
            emulator.Enqueue(EmulatorReply.Text("Hello from the recording, " + Key));
            var recorder = new CassetteRecorder(path) { InnerHandler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All } };
            using var http = new HttpClient(recorder);
            using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = emulator.Endpoint, ApiKey = Key, ModelId = "m", Protocol = protocol, AllowInsecureHttp = true }, http);
            live = JsonSerializer.Serialize(await client.GetStreamingResponseAsync("Hi").ToListAsync(), AIJsonUtilities.DefaultOptions);
        }

        var text = await File.ReadAllTextAsync(path);
        File.Copy(path, "/tmp/peek-" + protocol + ".jsonl", overwrite: true);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        await using (var replay = await YuHuanEmulator.StartAsync())
        {
            replay.ServeCassette(Cassette.Load(path));
            using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = replay.Endpoint, ApiKey = "other", ModelId = "m", Protocol = protocol, AllowInsecureHttp = true });
            var replayed = JsonSerializer.Serialize(await client.GetStreamingResponseAsync("Hi").ToListAsync(), AIJsonUtilities.DefaultOptions);
            Assert.Equal(live.Replace(Key, "[redacted]", StringComparison.Ordinal), replayed);
            Assert.Empty(replay.UnplayedExchanges);
        }
    }
}
