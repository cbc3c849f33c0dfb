using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>The emulator's connection-level scripting and reporting, over loopback with a plain <see cref="HttpClient"/>:
/// <see cref="EmulatorReply.DropConnectionAfter"/> and <see cref="RecordedRequest.ConnectionClosed"/>.</summary>
public sealed partial class EmulatorConnectionTests : IAsyncLifetime
{
    private const string StreamBody = """{"model":"fuzz-model","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private const int Runs = 20;

    private readonly HttpClient _http = new();

    private YuHuanEmulator _emulator = null!;

    public static TheoryData<string> Paths => new() { "chat/completions", "messages" };

    public async Task InitializeAsync() => _emulator = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task DropConnectionAfter_Alone_SendsExactlyTheEventsThenFails(string path)
    {
        // Repeated: an abort racing the flushed bytes loses them in some runs only.
        var wire = path == "messages" ? (WireFormat)MessagesWireFormat.Instance : ChatCompletionsWireFormat.Instance;
        for (var run = 0; run < Runs; run++)
        {
            var reply = new EmulatorReply().WithId("drop-test").AddText("One two three four five.", chunkSize: 4).DropConnectionAfter(3);
            _emulator.Enqueue(reply);
            var expected = Normalize(Encoding.UTF8.GetString([.. wire.RenderEvents(reply).Take(3).SelectMany(e => e)]));

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator.Endpoint, path)) { Content = Json(StreamBody) };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var received = new MemoryStream();
            var failure = await Record.ExceptionAsync(async () =>
            {
                var buffer = new byte[256];
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    received.Write(buffer, 0, read);
                }
            });

            Assert.Equal(expected, Normalize(Encoding.UTF8.GetString(received.ToArray())));
            Assert.IsAssignableFrom<IOException>(failure);
        }
    }

    [Fact]
    public async Task ConnectionClosed_CompletesWhenTheClientClosesTheConnection_NotWhenTheResponseEnds()
    {
        using var http = new HttpClient();
        _emulator.Enqueue(EmulatorReply.Text("kept alive"));

        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator.Endpoint, "messages")) { Content = Json(StreamBody) })
        using (var response = await http.SendAsync(request))
        {
            Assert.Contains("kept alive", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var closed = _emulator.Requests.Single().ConnectionClosed;
        Assert.False(closed.IsCompleted, "the pooled connection is still open");
        http.Dispose();
        await closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ConnectionClosed_CompletesWhenTheClientAbortsAPausedStream()
    {
        using var http = new HttpClient();
        _emulator.Enqueue(new EmulatorReply().AddText("one two three", chunkSize: 4).PauseAfter(2, new TaskCompletionSource().Task));
        using var abort = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator.Endpoint, "chat/completions")) { Content = Json(StreamBody) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();

        var closed = _emulator.Requests.Single().ConnectionClosed;
        Assert.False(closed.IsCompleted);
        var pendingRead = stream.ReadAsync(new byte[1 << 16], abort.Token).AsTask();
        while (pendingRead.IsCompleted)
        {
            pendingRead = stream.ReadAsync(new byte[1 << 16], abort.Token).AsTask();
        }

        await abort.CancelAsync();
        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pendingRead);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>The live emulator stamps the current time; the offline rendering a fixed one.</summary>
    private static string Normalize(string events) => CreatedPattern().Replace(events, "\"created\":0");

    [GeneratedRegex("\"created\":[0-9]+")]
    private static partial Regex CreatedPattern();
}
