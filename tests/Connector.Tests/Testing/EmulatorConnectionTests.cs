using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>The emulator's connection-level scripting and reporting in every protocol, over loopback with a plain
/// <see cref="HttpClient"/>: <see cref="EmulatorReply.DropConnectionAfter"/> and <see cref="RecordedRequest.ConnectionClosed"/>.</summary>
public sealed class EmulatorConnectionTests : IAsyncLifetime
{
    private const int Runs = 20;

    private readonly HttpClient _http = new();

    private YuHuanEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task DropConnectionAfter_Alone_SendsExactlyTheEventsThenFails(YuHuanProtocol protocol)
    {
        var wire = TestProtocols.Kit(protocol);

        // Repeated: an abort racing the flushed bytes loses them in some runs only. An emulator of its own per run, so
        // the ids it makes up are numbered from 1, as in the offline rendering.
        for (var run = 0; run < Runs; run++)
        {
            await using var emulator = await YuHuanEmulator.StartAsync();
            var reply = new EmulatorReply().WithId("drop-test").AddText("One two three four five.", chunkSize: 4).DropConnectionAfter(3);
            emulator.Enqueue(reply);
            var expected = LiveExchange.Normalize([.. wire.RenderEvents(reply).Take(3).SelectMany(e => e)]);

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.Endpoint, wire.RelativePath)) { Content = LiveExchange.Request(wire, stream: true) };
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

            Assert.Equal(expected, LiveExchange.Normalize(received.ToArray()));
            Assert.IsAssignableFrom<IOException>(failure);
        }
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ConnectionClosed_CompletesWhenTheClientClosesTheConnection_NotWhenTheResponseEnds(YuHuanProtocol protocol)
    {
        var wire = TestProtocols.Kit(protocol);
        using var http = new HttpClient();
        _emulator.Enqueue(EmulatorReply.Text("kept alive"));

        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator.Endpoint, wire.RelativePath)) { Content = LiveExchange.Request(wire, stream: true) })
        using (var response = await http.SendAsync(request))
        {
            Assert.Contains("kept alive", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var closed = _emulator.Requests.Single().ConnectionClosed;
        Assert.False(closed.IsCompleted, "the pooled connection is still open");
        http.Dispose();
        await closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ConnectionClosed_CompletesWhenTheClientAbortsAPausedStream(YuHuanProtocol protocol)
    {
        var wire = TestProtocols.Kit(protocol);
        using var http = new HttpClient();
        _emulator.Enqueue(new EmulatorReply().AddText("one two three", chunkSize: 4).PauseAfter(2, new TaskCompletionSource().Task));
        using var abort = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator.Endpoint, wire.RelativePath)) { Content = LiveExchange.Request(wire, stream: true) };
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
}
