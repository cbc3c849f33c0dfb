using System.Net;
using System.Net.Http.Headers;
using YuHuan.Connector.Testing;
using static YuHuan.Connector.Tests.Cassettes.CassetteText;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>How a <see cref="CassetteSession"/> picks record or replay, what it needs for each, and the handlers it gives.
/// The sessions here get the value of <c>YUHUAN_CASSETTE_MODE</c> passed in, so no test reads or sets the environment.</summary>
public sealed class CassetteSessionTests : IAsyncLifetime
{
    private const string Key = "sk-session-0123456789abcdef";
    private const string Body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-session-").FullName;
    private YuHuanEmulator _gateway = null!;

    public async Task InitializeAsync() => _gateway = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("record", CassetteMode.Replay, CassetteMode.Record)]
    [InlineData("replay", CassetteMode.Record, CassetteMode.Replay)]
    [InlineData("record-if-missing", CassetteMode.Replay, CassetteMode.RecordIfMissing)]
    [InlineData("RecordIfMissing", CassetteMode.Record, CassetteMode.RecordIfMissing)]
    [InlineData("record_if_missing", CassetteMode.Record, CassetteMode.RecordIfMissing)]
    [InlineData(" REPLAY ", CassetteMode.Record, CassetteMode.Replay)]
    [InlineData("Record", CassetteMode.RecordIfMissing, CassetteMode.Record)]
    [InlineData(null, CassetteMode.Replay, CassetteMode.Replay)]
    [InlineData("", CassetteMode.Record, CassetteMode.Record)]
    [InlineData("  ", CassetteMode.RecordIfMissing, CassetteMode.RecordIfMissing)]
    public void Resolve_TheEnvironmentValueWinsWhenSet(string? value, CassetteMode configured, CassetteMode expected)
    {
        Assert.Equal(expected, CassetteModes.Resolve(value, configured));
    }

    [Theory]
    [InlineData("playback")]
    [InlineData("re-cord-x")]
    [InlineData("1")]
    public void Resolve_ValueNamingNoMode_ThrowsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => CassetteModes.Resolve(value, CassetteMode.Replay));

        Assert.Contains("YUHUAN_CASSETTE_MODE", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EnvironmentValueNamingNoMode_Throws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("bad.jsonl", new CassetteOptions(), "sometimes"));

        Assert.Contains("YUHUAN_CASSETTE_MODE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordIfMissing_FileExists_Replays()
    {
        var path = WriteCassette("exists.jsonl", "replayed answer");

        await using var session = await StartAsync(path, new CassetteOptions { ApiKey = Key, GatewayEndpoint = _gateway.Endpoint }, environmentMode: null);
        using var http = session.CreateHttpClient();
        using var response = await PostAsync(http, session, Body);

        Assert.Equal(CassetteMode.Replay, session.Mode);
        Assert.NotNull(session.Emulator);
        Assert.Equal(session.Emulator.Endpoint, session.Endpoint);
        Assert.NotEqual(_gateway.Endpoint, session.Endpoint);
        Assert.Equal(path, session.Path);
        Assert.Equal("replayed answer", await response.Content.ReadAsStringAsync());
        Assert.Empty(session.Emulator.UnplayedExchanges);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task RecordIfMissing_FileMissing_Records()
    {
        var path = Path.Combine(_folder, "new", "missing.jsonl");
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "text/plain", "recorded answer"));

        await using var session = await StartAsync(path, new CassetteOptions { ApiKey = Key, GatewayEndpoint = _gateway.Endpoint }, environmentMode: null);
        var startedEmpty = Cassette.Load(path).Exchanges.Count;
        using var http = session.CreateHttpClient();
        using var response = await PostAsync(http, session, Body);

        Assert.Equal(CassetteMode.Record, session.Mode);
        Assert.Null(session.Emulator);
        Assert.Equal(_gateway.Endpoint, session.Endpoint);
        Assert.Equal(Key, session.ApiKey);
        Assert.Equal(0, startedEmpty);
        Assert.Equal("recorded answer", await response.Content.ReadAsStringAsync());
        Assert.Equal($"Bearer {Key}", Assert.Single(_gateway.Requests).Headers["Authorization"]);
        var exchange = Assert.Single(Cassette.Load(path).Exchanges);
        Assert.Equal(Body, exchange.Request.Body);
        Assert.DoesNotContain(Key, await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CassetteMode.RecordIfMissing, null)]
    [InlineData(CassetteMode.Record, null)]
    [InlineData(CassetteMode.Replay, "record")]
    public async Task Record_WithoutAnApiKey_ThrowsBeforeAnythingIsSent(CassetteMode mode, string? environmentMode)
    {
        var path = Path.Combine(_folder, "unkeyed.jsonl");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => StartAsync(path, new CassetteOptions { Mode = mode, GatewayEndpoint = _gateway.Endpoint }, environmentMode));

        Assert.Contains("CassetteOptions.ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Replay_FileMissing_ThrowsFileNotFound()
    {
        var path = Path.Combine(_folder, "absent.jsonl");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => StartAsync(path, new CassetteOptions { Mode = CassetteMode.Replay, ApiKey = Key, GatewayEndpoint = _gateway.Endpoint }, environmentMode: null));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Replay_ChosenByTheEnvironment_OverridesRecordInCode()
    {
        var path = WriteCassette("override.jsonl", "from the file");

        await using var session = await StartAsync(path, new CassetteOptions { Mode = CassetteMode.Record, ApiKey = Key, GatewayEndpoint = _gateway.Endpoint }, "replay");

        Assert.Equal(CassetteMode.Replay, session.Mode);
        Assert.Single(Cassette.Load(path).Exchanges);
    }

    [Fact]
    public async Task Replay_FileNotACassette_ThrowsInvalidData()
    {
        var path = Path.Combine(_folder, "garbage.jsonl");
        await File.WriteAllTextAsync(path, "hello");

        await Assert.ThrowsAsync<InvalidDataException>(() => StartAsync(path, new CassetteOptions { Mode = CassetteMode.Replay }, environmentMode: null));
    }

    [Fact]
    public async Task Replay_ApiKey_IsTheReplayKey_EvenWhenARealOneIsSet()
    {
        var path = WriteCassette("keys.jsonl", "x");

        await using var keyless = await StartAsync(path, new CassetteOptions { Mode = CassetteMode.Replay }, environmentMode: null);
        await using var keyed = await StartAsync(path, new CassetteOptions { Mode = CassetteMode.Replay, ApiKey = Key }, environmentMode: null);

        Assert.Equal(CassetteSession.ReplayApiKey, keyless.ApiKey);
        Assert.Equal("cassette-replay", keyless.ApiKey);
        Assert.Equal(CassetteSession.ReplayApiKey, keyed.ApiKey);
    }

    [Theory]
    [InlineData("https://api.yuhuanstudio.com/v1/chat/completions")]
    [InlineData("http://192.0.2.10:8080/v1/chat/completions")]
    [InlineData("http://example.invalid/v1/chat/completions")]
    public async Task Replay_Handler_RefusesARequestLeavingTheMachine(string uri)
    {
        var path = WriteCassette("offline.jsonl", "x");
        await using var session = await StartAsync(path, new CassetteOptions { Mode = CassetteMode.Replay }, environmentMode: null);
        var connections = 0;
        var handler = session.CreateHandler();
        handler.InnerHandler = new SocketsHttpHandler { ConnectCallback = (_, _) => throw new InvalidProgramException($"Connection {Interlocked.Increment(ref connections)} attempted.") };
        using var http = new HttpClient(handler);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => http.PostAsync(new Uri(uri), new StringContent(Body)));

        Assert.Contains("sends nothing off the machine", error.Message, StringComparison.Ordinal);
        Assert.Contains(session.Endpoint.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, connections);
        Assert.Empty(session.Emulator!.Requests);
        using var synchronous = new HttpRequestMessage(HttpMethod.Get, new Uri(uri));
        Assert.Throws<InvalidOperationException>(() => http.Send(synchronous));
    }

    [Fact]
    public async Task Replay_Handler_LetsLoopbackRequestsThrough()
    {
        var path = WriteCassette("loopback.jsonl", "through");
        await using var session = await StartAsync(path, new CassetteOptions { Mode = CassetteMode.Replay }, environmentMode: null);
        var connections = 0;
        var handler = session.CreateHandler();
        handler.InnerHandler = new SocketsHttpHandler { ConnectCallback = (_, _) => throw new InvalidProgramException($"Connection {Interlocked.Increment(ref connections)} attempted.") };
        using var refusing = new HttpClient(handler);
        using var http = session.CreateHttpClient();

        // localhost passes the check and reaches the (refusing) connection stage; the emulator answers.
        await Assert.ThrowsAsync<HttpRequestException>(() => refusing.GetAsync(new Uri("http://localhost:9/")));
        using var response = await PostAsync(http, session, Body);

        Assert.Equal(1, connections);
        Assert.Equal("through", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Record_ThroughSeveralHandlers_WritesOneFileInTheOrderRequestsWereSent()
    {
        var path = Path.Combine(_folder, "shared.jsonl");
        await File.WriteAllTextAsync(path, "an older recording");
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "text/plain", "one"), EmulatorReply.RawResponse(200, "text/plain", "two"), EmulatorReply.RawResponse(200, "text/plain", "three"));

        await using (var session = await StartAsync(path, new CassetteOptions { Mode = CassetteMode.Record, ApiKey = Key, GatewayEndpoint = _gateway.Endpoint }, environmentMode: null))
        {
            var first = session.CreateHandler();
            first.InnerHandler = new SocketsHttpHandler();
            var second = session.CreateHandler();
            second.InnerHandler = new SocketsHttpHandler();
            using var firstHttp = new HttpClient(first);
            using var secondHttp = new HttpClient(second);
            using var thirdHttp = session.CreateHttpClient();

            Assert.IsType<CassetteRecorder>(first);
            Assert.NotSame(first, second);
            using var one = await PostAsync(firstHttp, session, Body.Replace("Hi", "one", StringComparison.Ordinal));
            using var two = await PostAsync(secondHttp, session, Body.Replace("Hi", "two", StringComparison.Ordinal));
            using var three = await PostAsync(thirdHttp, session, Body.Replace("Hi", "three", StringComparison.Ordinal));
            Assert.Equal("three", await three.Content.ReadAsStringAsync());
        }

        var cassette = Cassette.Load(path);
        Assert.Equal(["one", "two", "three"], cassette.Exchanges.Select(e => e.Request.Json.GetProperty("messages")[0].GetProperty("content").GetString()));
        Assert.Equal(["one", "two", "three"], cassette.Exchanges.Select(e => System.Text.Encoding.UTF8.GetString(e.ResponseBody())));
        Assert.All(cassette.Exchanges, e => Assert.Equal(CassetteOutcome.Complete, e.Outcome));
    }

    [Fact]
    public async Task Recorded_ThenReplayed_GivesTheSameAnswer()
    {
        var path = Path.Combine(_folder, "roundtrip.jsonl");
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "application/json", "{\"answer\":42}").WithHeader("x-request-id", "req-42"));
        var options = new CassetteOptions { ApiKey = Key, GatewayEndpoint = _gateway.Endpoint };
        await using (var recording = await StartAsync(path, options, environmentMode: null))
        {
            using var http = recording.CreateHttpClient();
            using var recorded = await PostAsync(http, recording, Body);
            Assert.Equal(CassetteMode.Record, recording.Mode);
        }

        await using var replaying = await StartAsync(path, options, environmentMode: null);
        using var replayHttp = replaying.CreateHttpClient();
        using var replayed = await PostAsync(replayHttp, replaying, Body);

        Assert.Equal(CassetteMode.Replay, replaying.Mode);
        Assert.Equal("{\"answer\":42}", await replayed.Content.ReadAsStringAsync());
        Assert.Equal("req-42", Assert.Single(replayed.Headers.GetValues("x-request-id")));
        Assert.Single(_gateway.Requests);
    }

    private static Task<CassetteSession> StartAsync(string path, CassetteOptions options, string? environmentMode) =>
        CassetteSession.StartAsync(path, options, environmentMode, CancellationToken.None);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, CassetteSession session, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(session.Endpoint, "chat/completions")) { Content = new StringContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.ApiKey);
        return await http.SendAsync(request);
    }

    private string WriteCassette(string name, string answer)
    {
        var path = Path.Combine(_folder, name);
        Read(Answered(1, "POST", "/v1/chat/completions", Body, 200, answer)).Save(path);
        return path;
    }
}
