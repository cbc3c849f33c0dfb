using System.Net;
using System.Net.Sockets;
using System.Text;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>What a <see cref="CassetteRecorder"/> keeps of each exchange it passes on, and what it never writes.</summary>
public sealed class CassetteRecorderTests : IAsyncLifetime
{
    private const string Key = "sk-recorder-0123456789abcdef";
    private const string Body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private const string StreamBody = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-recorder-").FullName;
    private YuHuanEmulator _gateway = null!;

    private string CassettePath => Path.Combine(_folder, "recorded.jsonl");

    public async Task InitializeAsync() => _gateway = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void New_ReplacesTheFileWithAnEmptyCassette()
    {
        File.WriteAllText(CassettePath, "an older recording");

        using var recorder = new CassetteRecorder(CassettePath);

        Assert.Empty(Cassette.Load(CassettePath).Exchanges);
        Assert.Empty(recorder.Cassette.Exchanges);
    }

    [Fact]
    public void Send_Synchronous_ThrowsNotSupported()
    {
        using var invoker = new HttpMessageInvoker(Recorder());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Endpoint, "chat/completions")) { Content = new StringContent(Body) };

        var error = Assert.Throws<NotSupportedException>(() => invoker.Send(request, CancellationToken.None));

        Assert.Contains("SendAsync", error.Message, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
        Assert.Empty(Cassette.Load(CassettePath).Exchanges);
    }

    [Fact]
    public async Task Send_StreamedBody_IsKeptPieceByPieceWithItsTimes()
    {
        var resume = new TaskCompletionSource();
        _gateway.Enqueue(new EmulatorReply().AddText("one two three four", chunkSize: 4).PauseAfter(2, resume.Task));
        var recorder = Recorder();
        using var http = new HttpClient(recorder);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Endpoint, "chat/completions")) { Content = new StringContent(StreamBody) };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var received = new MemoryStream();
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            // The events before the pause arrive in one read at least; the rest only after it.
            var buffer = new byte[64 * 1024];
            var read = await body.ReadAsync(buffer);
            received.Write(buffer, 0, read);
            resume.SetResult();
            await body.CopyToAsync(received);
        }

        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Equal(CassetteOutcome.Complete, exchange.Outcome);
        Assert.Equal(200, exchange.StatusCode);
        Assert.Equal(received.ToArray(), exchange.ResponseBody());
        Assert.Contains("[DONE]", Encoding.UTF8.GetString(received.ToArray()), StringComparison.Ordinal);
        Assert.True(exchange.Response!.Chunks.Count >= 2, "The pieces before and after the pause are kept apart.");
        Assert.Null(exchange.Response.ContentLength);
        Assert.Contains(new KeyValuePair<string, string>("Content-Type", "text/event-stream"), exchange.Response.Headers);
        var times = exchange.Response.Chunks.Select(c => c.At).Prepend(exchange.Response.HeadersAt).Append(exchange.EndedAt).ToArray();
        Assert.Equal(times.Order(), times);
        Assert.Single(recorder.Cassette.Exchanges);
    }

    [Fact]
    public async Task Send_BodyNotRead_IsKeptAsAbandoned()
    {
        _gateway.Enqueue(new EmulatorReply().AddText("never read").PauseAfter(1, new TaskCompletionSource().Task));
        using var http = new HttpClient(Recorder());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Endpoint, "chat/completions")) { Content = new StringContent(StreamBody) };

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var beforeDispose = Cassette.Load(CassettePath).Exchanges.Count;
        response.Dispose();

        Assert.Equal(0, beforeDispose);
        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Equal(CassetteOutcome.Abandoned, exchange.Outcome);
        Assert.Equal(200, exchange.StatusCode);
        Assert.Empty(exchange.Response!.Chunks);
    }

    [Fact]
    public async Task Send_CancelledByTheCallerBeforeTheHeaders_IsNotKept()
    {
        using var cancel = new CancellationTokenSource();
        var attempts = 0;
        var inner = new SocketsHttpHandler
        {
            // The first request is cancelled by its caller while it connects; later ones connect.
            ConnectCallback = async (context, token) =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    await cancel.CancelAsync();
                    throw new OperationCanceledException(cancel.Token);
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(Recorder(inner: inner));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.PostAsync(new Uri(_gateway.Endpoint, "chat/completions"), new StringContent(Body), cancel.Token));
        var afterCancel = Cassette.Load(CassettePath).Exchanges.Count;
        using var response = await http.PostAsync(new Uri(_gateway.Endpoint, "chat/completions"), new StringContent(Body));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(0, afterCancel);
        Assert.Equal(2, attempts);
        Assert.Equal(CassetteOutcome.Complete, Assert.Single(Cassette.Load(CassettePath).Exchanges).Outcome);
        Assert.Single(_gateway.Requests);
    }

    [Fact]
    public async Task Send_ConnectionRefused_IsKeptAsFailedWithTheMessageScrubbed()
    {
        var port = ClosedPort();
        var target = $"127.0.0.1:{port}";
        var options = new CassetteOptions { Secrets = { target } };
        using var http = new HttpClient(Recorder(options));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync(new Uri($"http://{target}/v1/chat/completions?user=x"), new StringContent(Body)));

        var text = await File.ReadAllTextAsync(CassettePath);
        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Contains(target, error.Message, StringComparison.Ordinal);
        Assert.Equal(CassetteOutcome.Failed, exchange.Outcome);
        Assert.Null(exchange.StatusCode);
        Assert.Null(exchange.Response);
        Assert.Equal(error.Message.Replace(target, CassetteScrubber.Marker, StringComparison.Ordinal), exchange.Failure);
        Assert.DoesNotContain(target, text, StringComparison.Ordinal);
        Assert.Equal("POST /v1/chat/completions?user=x", exchange.Request.ToString());
        Assert.Equal(Body, exchange.Request.Body);
    }

    [Fact]
    public async Task Send_RequestHeaders_AreNeverWritten()
    {
        using var http = new HttpClient(Recorder());
        http.DefaultRequestHeaders.Add("X-Default-Header", "default-value-77");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Endpoint, "chat/completions")) { Content = new StringContent(Body) };
        request.Headers.Authorization = new("Bearer", Key);
        request.Headers.Add("x-api-key", Key);
        request.Headers.Add("X-Trace-Header", "trace-value-99");
        request.Headers.UserAgent.ParseAdd("cassette-test/1.0");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsStringAsync();

        var text = await File.ReadAllTextAsync(CassettePath);
        Assert.Single(Cassette.Load(CassettePath).Exchanges);
        foreach (var written in new[] { Key, "Bearer", "X-Default-Header", "default-value-77", "X-Trace-Header", "trace-value-99", "cassette-test", "Authorization", "x-api-key" })
        {
            Assert.DoesNotContain(written, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Send_ResponseHeaders_OnlyTheRecordedOnesAreKept()
    {
        _gateway.Enqueue(RawWithHeaders());
        using var http = new HttpClient(Recorder());

        using var response = await http.PostAsync(new Uri(_gateway.Endpoint, "chat/completions"), new StringContent(Body));
        await response.Content.ReadAsStringAsync();

        var headers = Assert.Single(Cassette.Load(CassettePath).Exchanges).Response!.Headers;
        Assert.Equal(
            ["anthropic-ratelimit-requests-limit", "Content-Type", "Retry-After", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests", "X-Request-ID"],
            headers.Select(h => h.Key).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-remaining-requests", "99"), headers);
        Assert.Contains(new KeyValuePair<string, string>("X-Request-ID", "req-1"), headers);
    }

    [Fact]
    public async Task Send_ResponseHeaders_RecordedHeadersOfOnesOwnWithAWildcard()
    {
        _gateway.Enqueue(RawWithHeaders());
        var options = new CassetteOptions();
        options.RecordedHeaders.Clear();
        options.RecordedHeaders.Add("X-CUSTOM-*");
        options.RecordedHeaders.Add("x-other");
        using var http = new HttpClient(Recorder(options));

        using var response = await http.PostAsync(new Uri(_gateway.Endpoint, "chat/completions"), new StringContent(Body));
        await response.Content.ReadAsStringAsync();

        var headers = Assert.Single(Cassette.Load(CassettePath).Exchanges).Response!.Headers;
        Assert.Equal(["x-custom-a", "x-custom-b", "x-other"], headers.Select(h => h.Key).Order(StringComparer.Ordinal));
        Assert.Contains(new KeyValuePair<string, string>("x-custom-b", "2, 3"), headers);
    }

    [Fact]
    public async Task Send_SecretHeaders_TheirValuesAreScrubbedEverywhere()
    {
        const string Token = "tok-abcdef-123456";
        var options = new CassetteOptions { SecretHeaders = { "X-Session-Token" }, RecordedHeaders = { "X-Session-Token", "x-echo" } };
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "application/json", $"{{\"echo\":\"{Token}\",\"upper\":\"{Token.ToUpperInvariant()}\",\"key\":\"{Key}\"}}")
            .WithHeader("x-request-id", $"req-{Token}")
            .WithHeader("X-Session-Token", Token)
            .WithHeader("x-echo", "%74ok-abcdef-123456"));
        using var http = new HttpClient(Recorder(options));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Endpoint, $"chat/completions?session={Token}"))
        {
            Content = new StringContent($"{{\"model\":\"m\",\"note\":\"{Token}\"}}"),
        };
        request.Headers.Add("X-Session-Token", Token);
        request.Headers.Authorization = new("Bearer", Key);

        using var response = await http.SendAsync(request);
        var received = await response.Content.ReadAsStringAsync();

        var text = await File.ReadAllTextAsync(CassettePath);
        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Contains(Token, received, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Equal("?session=[redacted]", exchange.Request.Query);
        Assert.Equal("{\"model\":\"m\",\"note\":\"[redacted]\"}", exchange.Request.Body);
        Assert.Equal("{\"echo\":\"[redacted]\",\"upper\":\"[redacted]\",\"key\":\"[redacted]\"}", Encoding.UTF8.GetString(exchange.ResponseBody()));
        Assert.Contains(new KeyValuePair<string, string>("X-Request-ID", "req-[redacted]"), exchange.Response!.Headers);
        Assert.Contains(new KeyValuePair<string, string>("x-echo", "[redacted]"), exchange.Response.Headers);

        // A secret header is not written even when it is among the recorded ones.
        Assert.DoesNotContain(exchange.Response.Headers, h => h.Key.Equals("X-Session-Token", StringComparison.OrdinalIgnoreCase));
    }

    private static EmulatorReply RawWithHeaders() =>
        EmulatorReply.RawResponse(200, "application/json", "{}")
            .WithHeader("x-request-id", "req-1")
            .WithHeader("Retry-After", "1")
            .WithHeader("x-ratelimit-remaining-requests", "99")
            .WithHeader("x-ratelimit-limit-tokens", "1000")
            .WithHeader("anthropic-ratelimit-requests-limit", "50")
            .WithHeader("x-custom-a", "1")
            .WithHeader("x-custom-b", "2")
            .WithHeader("x-custom-b", "3")
            .WithHeader("x-other", "o")
            .WithHeader("x-ratelimitless", "not a rate limit")
            .WithHeader("Cache-Control", "no-store");

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private CassetteRecorder Recorder(CassetteOptions? options = null, HttpMessageHandler? inner = null) =>
        new(CassettePath, options) { InnerHandler = inner ?? new SocketsHttpHandler() };
}
