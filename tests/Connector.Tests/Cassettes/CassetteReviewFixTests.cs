using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Testing;
using static YuHuan.Connector.Tests.Cassettes.CassetteText;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>
/// Cassettes end to end where a recording could go wrong: a compressed body, the headers that frame a body, a declared
/// length that does not fit, a file that cannot be written, synchronous reads, a request body that is not text, a gateway
/// under another base path, and a secret field whose value is a common word.
/// </summary>
public sealed class CassetteReviewFixTests : IAsyncLifetime
{
    private const string Key = CassetteRoundTrip.Key;
    private const string Body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private const string StreamBody = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static readonly SecretScrubber KeyScrubber = new(Key);

    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-review-").FullName;
    private YuHuanEmulator _gateway = null!;

    private string CassettePath => Path.Combine(_folder, "recorded.jsonl");

    public async Task InitializeAsync() => _gateway = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task GzipBody_IsKeptDecodedAndScrubbed_AndReplaysPlain()
    {
        var echoed = $"{{\"echo\":\"{Key}\",\"note\":\"compressed on the wire\"}}";
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "application/json", echoed).WithGzip());
        var options = new CassetteOptions { RecordedHeaders = { "Content-*" } };
        using var http = new HttpClient(Recorder(options));

        using var response = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead);
        var wire = await response.Content.ReadAsByteArrayAsync();

        // The caller got the compressed bytes, as its handler does not decompress.
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(echoed, Gunzip(wire));

        var text = await File.ReadAllTextAsync(CassettePath);
        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Equal(CassetteOutcome.Complete, exchange.Outcome);
        var expected = echoed.Replace(Key, CassetteScrubber.Marker, StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(exchange.ResponseBody()));
        Assert.Equal([expected], ChunkTexts(text));
        Assert.DoesNotContain("\"base64\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Encoding", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(new KeyValuePair<string, string>("Content-Type", "application/json"), exchange.Response!.Headers);
        Assert.Null(exchange.Response.ContentLength);
        AssertKeyNowhere(text);

        await using var emulator = await StartReplayAsync();
        using var plain = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        using var replayed = await SendAsync(plain, new Uri(emulator.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead, CassetteSession.ReplayApiKey);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Empty(replayed.Content.Headers.ContentEncoding);
        Assert.Equal(expected, await replayed.Content.ReadAsStringAsync());
        Assert.Empty(emulator.UnplayedExchanges);
    }

    [Fact]
    public async Task GzipStream_IsKeptDecodedAndScrubbed_AndReplaysTheSameEventsPlain()
    {
        var answer = $"The key you sent is {Key}, nothing more.";
        _gateway.Enqueue(new EmulatorReply().AddText(answer, chunkSize: 200).WithGzip());
        using var http = new HttpClient(Recorder());

        using var response = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), StreamBody, HttpCompletionOption.ResponseHeadersRead);
        var wire = new MemoryStream();
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            await body.CopyToAsync(wire);
        }

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        var live = Gunzip(wire.ToArray());
        Assert.Contains(Key, live, StringComparison.Ordinal);
        Assert.Contains("data: [DONE]", live, StringComparison.Ordinal);

        var text = await File.ReadAllTextAsync(CassettePath);
        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Equal(CassetteOutcome.Complete, exchange.Outcome);
        var expected = live.Replace(Key, CassetteScrubber.Marker, StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(exchange.ResponseBody()));
        Assert.DoesNotContain("Content-Encoding", text, StringComparison.OrdinalIgnoreCase);
        Assert.True(ChunkTexts(text).Count > 1, "A decoded stream is written a line per event:\n" + text);
        AssertKeyNowhere(text);

        await using var emulator = await StartReplayAsync();
        using var plain = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        using var replayed = await SendAsync(plain, new Uri(emulator.Endpoint, "chat/completions"), StreamBody, HttpCompletionOption.ResponseHeadersRead, CassetteSession.ReplayApiKey);
        Assert.Empty(replayed.Content.Headers.ContentEncoding);
        Assert.Equal("text/event-stream", replayed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await replayed.Content.ReadAsStringAsync());
        Assert.Empty(emulator.UnplayedExchanges);
    }

    [Fact]
    public async Task FramingHeaders_AreNotRecordedEvenWhenEveryHeaderIs_AndTheReplayWorks()
    {
        _gateway.Enqueue(new EmulatorReply().AddText("streamed without a length"));
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "application/json", "{\"sized\":true}").WithHeader("Connection", "keep-alive").WithHeader("x-kept", "yes"));
        var options = new CassetteOptions { RecordedHeaders = { "*" } };
        using var http = new HttpClient(Recorder(options));

        using var streamed = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), StreamBody, HttpCompletionOption.ResponseContentRead);
        var streamedBody = await streamed.Content.ReadAsStringAsync();
        using var sized = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead);
        var sizedBody = await sized.Content.ReadAsStringAsync();

        // What the caller saw was framed: one chunked, one of a length.
        Assert.True(streamed.Headers.TransferEncodingChunked, "The stream arrived chunked.");
        Assert.Equal(Encoding.UTF8.GetByteCount(sizedBody), sized.Content.Headers.ContentLength);

        var text = await File.ReadAllTextAsync(CassettePath);
        var exchanges = Cassette.Load(CassettePath).Exchanges;
        Assert.Equal(2, exchanges.Count);
        foreach (var exchange in exchanges)
        {
            var names = exchange.Response!.Headers.Select(h => h.Key).ToArray();
            Assert.Contains("Content-Type", names, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain(names, n => n.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || n.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || n.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                || n.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Contains(new KeyValuePair<string, string>("x-kept", "yes"), exchanges[1].Response!.Headers);
        Assert.DoesNotContain("chunked", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Encoding.UTF8.GetByteCount(sizedBody), exchanges[1].Response!.ContentLength);

        await using var emulator = await StartReplayAsync();
        using var plain = new HttpClient();
        using var replayedStream = await SendAsync(plain, new Uri(emulator.Endpoint, "chat/completions"), StreamBody, HttpCompletionOption.ResponseContentRead);
        using var replayedSized = await SendAsync(plain, new Uri(emulator.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead);

        Assert.Equal(streamedBody, await replayedStream.Content.ReadAsStringAsync());
        Assert.Equal(sizedBody, await replayedSized.Content.ReadAsStringAsync());
        Assert.Equal(Encoding.UTF8.GetByteCount(sizedBody), replayedSized.Content.Headers.ContentLength);
        Assert.Equal(["yes"], replayedSized.Headers.GetValues("x-kept"));
        Assert.Empty(emulator.UnplayedExchanges);
    }

    [Theory]
    [InlineData("Transfer-Encoding", "chunked")]
    [InlineData("Content-Length", "2")]
    [InlineData("content-encoding", "gzip")]
    [InlineData("Connection", "close")]
    public void Read_ResponseNamingAFramingHeader_ThrowsNamingTheLine(string name, string value)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(
            [.. Answered(1, "POST", "/v1/chat/completions", Body, 200, "ok"),
            Request(2, "POST", "/v1/chat/completions", body: Body),
            Response(2, 1, 200, null, "Content-Type", "text/plain", name, value),
            Chunk(2, 2, "Hi"),
            End(2, 3)]));

        Assert.StartsWith("Line 7 is not a cassette line: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"the header \"{name}\" frames the body", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("complete", 3)]
    [InlineData("complete", 9)]
    [InlineData("cut", 3)]
    [InlineData("abandoned", 4)]
    public void Read_DeclaredLengthTheBodyDoesNotFit_ThrowsNamingTheLineTheExchangeBegins(string outcome, long length)
    {
        // Exchange 2 begins on line 6; its response comes after exchange 3's request, its body is 5 bytes.
        var error = Assert.Throws<InvalidDataException>(() => Read(
            [.. Answered(1, "POST", "/v1/chat/completions", Body, 200, "ok"),
            Request(2, "POST", "/v1/chat/completions", body: Body),
            Request(3, "POST", "/v1/responses", body: Body),
            Response(2, 1, 200, length, "Content-Type", "text/plain"),
            Chunk(2, 2, "Hel"),
            Chunk(2, 3, "lo"),
            End(2, 4, outcome),
            Response(3, 1, 200, null),
            End(3, 2)]));

        Assert.StartsWith("Line 6 begins exchange 2, whose body of 5 bytes does not fit its declared length of " + length + " bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeclaredLengthTheBodyDoesNotFit_NamesTheFile()
    {
        File.WriteAllLines(CassettePath, [Header, Request(1, "POST", "/v1/chat/completions", body: Body), Response(1, 1, 200, 1), Chunk(1, 2, "Hi"), End(1, 3)]);

        var error = Assert.Throws<InvalidDataException>(() => Cassette.Load(CassettePath));

        Assert.StartsWith($"Line 2 of '{CassettePath}' begins exchange 1, whose body of 2 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("abandoned")]
    public void Read_BodyCutShortOfItsDeclaredLength_IsAccepted(string outcome)
    {
        var cassette = Read(Request(1, "POST", "/v1/chat/completions", body: Body), Response(1, 1, 200, 100), Chunk(1, 2, "Hel"), Chunk(1, 3, "lo"), End(1, 4, outcome));

        var exchange = Assert.Single(cassette.Exchanges);
        Assert.Equal(100, exchange.Response!.ContentLength);
        Assert.Equal("Hello"u8.ToArray(), exchange.ResponseBody());
        Assert.Equal(outcome == "cut" ? CassetteOutcome.Cut : CassetteOutcome.Abandoned, exchange.Outcome);
    }

    [Fact]
    public void Read_CompleteBodyFillingItsDeclaredLength_IsAccepted()
    {
        var cassette = Read(Request(1, "POST", "/v1/chat/completions", body: Body), Response(1, 1, 200, 5), Chunk(1, 2, "Hel"), Chunk(1, 3, "lo"), End(1, 4));

        Assert.Equal(5, Assert.Single(cassette.Exchanges).Response!.ContentLength);
    }

    [Fact]
    public async Task FileThatCannotBeWritten_TheReadSucceeds_AndTheNextRequestThrowsNamingThePath()
    {
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "text/plain", "first answer"), EmulatorReply.RawResponse(200, "text/plain", "never sent"));
        using var http = new HttpClient(Recorder());
        Assert.True(File.Exists(CassettePath));
        File.Delete(CassettePath);
        Directory.CreateDirectory(CassettePath);

        using var first = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseHeadersRead);
        var firstBody = await first.Content.ReadAsStringAsync();

        Assert.Equal("first answer", firstBody);
        var error = await Assert.ThrowsAsync<IOException>(() => SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead));
        Assert.Contains(CassettePath, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
        Assert.Single(_gateway.Requests);
        Assert.True(Directory.Exists(CassettePath));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Session_FileThatCannotBeWritten_ThrowsFromDisposeAfterTheReadSucceeded()
    {
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "text/plain", "session answer"));
        var options = new CassetteOptions { Mode = CassetteMode.Record, ApiKey = Key, GatewayEndpoint = _gateway.Endpoint };
        var session = await CassetteSession.StartAsync(CassettePath, options, environmentMode: null, CancellationToken.None);
        Assert.True(File.Exists(CassettePath));
        File.Delete(CassettePath);
        Directory.CreateDirectory(CassettePath);

        string answer;
        using (var http = session.CreateHttpClient())
        {
            using var response = await SendAsync(http, new Uri(session.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead, session.ApiKey);
            answer = await response.Content.ReadAsStringAsync();
        }

        Assert.Equal("session answer", answer);
        var error = await Assert.ThrowsAsync<IOException>(async () => await session.DisposeAsync());
        Assert.Contains(CassettePath, error.Message, StringComparison.Ordinal);
        Assert.Single(_gateway.Requests);
    }

    [Fact]
    public async Task Session_FileWritten_DisposesWithoutError()
    {
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "text/plain", "session answer"));
        var options = new CassetteOptions { Mode = CassetteMode.Record, ApiKey = Key, GatewayEndpoint = _gateway.Endpoint };
        var session = await CassetteSession.StartAsync(CassettePath, options, environmentMode: null, CancellationToken.None);
        using (var http = session.CreateHttpClient())
        {
            using var response = await SendAsync(http, new Uri(session.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead, session.ApiKey);
            await response.Content.ReadAsStringAsync();
        }

        await session.DisposeAsync();

        Assert.Single(Cassette.Load(CassettePath).Exchanges);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SynchronousRead_ToTheEnd_IsRecordedComplete(bool streaming)
    {
        _gateway.Enqueue(streaming ? new EmulatorReply().AddText("read synchronously", chunkSize: 4) : EmulatorReply.RawResponse(200, "text/plain", "read synchronously"));
        using var http = new HttpClient(Recorder());

        using var response = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), streaming ? StreamBody : Body, HttpCompletionOption.ResponseHeadersRead);
        var beforeRead = Cassette.Load(CassettePath).Exchanges.Count;
        string read;
        using (var reader = new StreamReader(response.Content.ReadAsStream()))
        {
            read = reader.ReadToEnd();
        }

        Assert.Equal(0, beforeRead);
        Assert.Contains(streaming ? "read" : "read synchronously", read, StringComparison.Ordinal);
        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Equal(CassetteOutcome.Complete, exchange.Outcome);
        Assert.Equal(read, Encoding.UTF8.GetString(exchange.ResponseBody()));
    }

    [Fact]
    public async Task SynchronousCopyTo_IsRecordedComplete()
    {
        _gateway.Enqueue(EmulatorReply.RawResponse(200, "text/plain", "copied synchronously"));
        using var http = new HttpClient(Recorder());

        using var response = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseHeadersRead);
        var copy = new MemoryStream();
        response.Content.CopyTo(copy, context: null, CancellationToken.None);

        Assert.Equal("copied synchronously", Encoding.UTF8.GetString(copy.ToArray()));
        var exchange = Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Equal(CassetteOutcome.Complete, exchange.Outcome);
        Assert.Equal(copy.ToArray(), exchange.ResponseBody());
    }

    [Fact]
    public async Task RequestBodyNotUtf8_IsRefusedAndNothingIsSent()
    {
        using var http = new HttpClient(Recorder());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Endpoint, "chat/completions")) { Content = new ByteArrayContent([0x7B, 0xFF, 0xFE, 0x7D]) };

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => http.SendAsync(request));

        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
        Assert.Empty(Cassette.Load(CassettePath).Exchanges);

        // The recorder goes on: the next request is the first exchange.
        using var next = await SendAsync(http, new Uri(_gateway.Endpoint, "chat/completions"), Body, HttpCompletionOption.ResponseContentRead);
        await next.Content.ReadAsStringAsync();
        Assert.Single(Cassette.Load(CassettePath).Exchanges);
        Assert.Single(_gateway.Requests);
    }

    [Theory]
    [InlineData("../proxy/v1/")]
    [InlineData("../proxy/v1")]
    public async Task GatewayUnderAnotherBase_PathIsWrittenUnderV1_AndReplays(string gatewayBase)
    {
        var gateway = new Uri(_gateway.Endpoint, gatewayBase);
        var root = _gateway.Endpoint.GetLeftPart(UriPartial.Authority);
        Assert.Equal(root + "/proxy/v1" + (gatewayBase.EndsWith('/') ? "/" : string.Empty), gateway.ToString());
        var options = new CassetteOptions { GatewayEndpoint = gateway };
        using var http = new HttpClient(Recorder(options));

        using var under = await SendAsync(http, new Uri(root + "/proxy/v1/chat/completions?trace=1"), Body, HttpCompletionOption.ResponseContentRead);
        var underBody = await under.Content.ReadAsStringAsync();
        using var outside = await SendAsync(http, new Uri(root + "/other/v1/chat/completions"), Body, HttpCompletionOption.ResponseContentRead);
        await outside.Content.ReadAsStringAsync();
        using var prefixed = await SendAsync(http, new Uri(root + "/proxy/v10/chat/completions"), Body, HttpCompletionOption.ResponseContentRead);
        await prefixed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, under.StatusCode);
        var exchanges = Cassette.Load(CassettePath).Exchanges;
        Assert.Equal(["/v1/chat/completions", "/other/v1/chat/completions", "/proxy/v10/chat/completions"], exchanges.Select(e => e.Request.Path));
        Assert.Equal("?trace=1", exchanges[0].Request.Query);

        // The replaying emulator serves the recorded exchange at its own /v1/.
        await using var emulator = await StartReplayAsync();
        using var plain = new HttpClient();
        using var replayed = await SendAsync(plain, new Uri(emulator.Endpoint, "chat/completions?trace=1"), Body, HttpCompletionOption.ResponseContentRead);

        Assert.Equal(HttpStatusCode.NotFound, replayed.StatusCode);
        Assert.Equal(underBody, await replayed.Content.ReadAsStringAsync());
        Assert.Equal(2, emulator.UnplayedExchanges.Count);
        Assert.DoesNotContain(emulator.UnplayedExchanges, e => e.Request.Path == "/v1/chat/completions");
    }

    [Fact]
    public async Task SecretFieldWithAShortValue_IsNotLearnt_AndTheStreamReplaysTheSameUpdates()
    {
        using var trip = new CassetteRoundTrip(YuHuanProtocol.ChatCompletions);
        ChatMessage[] prompt = [new(ChatRole.User, "Where is my data?")];
        var chatOptions = new ChatOptions { AdditionalProperties = new() { ["user"] = "data" } };
        const string Answer = "Here is the data you asked for.";

        var live = await trip.RecordAsync(
            e => e.Enqueue(new EmulatorReply().AddText(Answer, chunkSize: 8)),
            client => CassetteRoundTrip.StreamAsync(client, prompt, chatOptions),
            options: new CassetteOptions { SecretFields = { "user" } });

        Assert.Equal("no error", CassetteRoundTrip.Describe(live.Error));
        Assert.Equal(Answer, live.Response!.Text);
        var exchange = Assert.Single(Cassette.Load(trip.Path).Exchanges);
        using (var request = JsonDocument.Parse(exchange.Request.Body))
        {
            Assert.Equal(CassetteScrubber.Marker, request.RootElement.GetProperty("user").GetString());
        }

        Assert.Contains("\"Where is my data?\"", exchange.Request.Body, StringComparison.Ordinal);
        var recorded = Encoding.UTF8.GetString(exchange.ResponseBody());
        Assert.DoesNotContain(CassetteScrubber.Marker, recorded, StringComparison.Ordinal);
        Assert.StartsWith("data: {", recorded, StringComparison.Ordinal);
        Assert.Contains("the data", recorded, StringComparison.Ordinal);
        var events = recorded.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(events.Length > 4, "The answer streams in several events:\n" + recorded);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));

        var replay = await trip.ReplayAsync(
            client => CassetteRoundTrip.StreamAsync(client, prompt, chatOptions),
            options: new CassetteOptions { SecretFields = { "user" } });

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Equal(Answer, replay.Result.Response!.Text);
        Assert.Empty(replay.Unplayed);
        Assert.Contains("\"user\":\"data\"", Assert.Single(replay.Requests).Body, StringComparison.Ordinal);
    }

    private static string Gunzip(byte[] compressed)
    {
        Assert.True(compressed.Length > 2 && compressed[0] == 0x1F && compressed[1] == 0x8B, "The bytes are gzip.");
        using var source = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(source, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Gets the text of every chunk line of a cassette file, in order, and asserts no chunk line holds base64
    /// that decodes to the key in any form.</summary>
    private static List<string> ChunkTexts(string fileText)
    {
        var texts = new List<string>();
        foreach (var line in fileText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            if (!document.RootElement.TryGetProperty("chunk", out var chunk))
            {
                continue;
            }

            if (chunk.TryGetProperty("base64", out var base64))
            {
                var decoded = base64.GetBytesFromBase64();
                Assert.False(KeyScrubber.Finds(Encoding.UTF8.GetString(decoded)) || KeyScrubber.Finds(Encoding.Latin1.GetString(decoded)), "A base64 chunk holds the key.");
                continue;
            }

            texts.Add(chunk.GetProperty("text").GetString()!);
        }

        return texts;
    }

    private static void AssertKeyNowhere(string fileText)
    {
        Assert.DoesNotContain(Key, fileText, StringComparison.OrdinalIgnoreCase);
        Assert.False(KeyScrubber.Finds(fileText), "The cassette holds the key in some form:\n" + fileText);
        ChunkTexts(fileText);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, string body, HttpCompletionOption completion, string key = Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", key);
        return await http.SendAsync(request, completion);
    }

    /// <summary>Starts a fresh emulator serving the cassette file.</summary>
    private async Task<YuHuanEmulator> StartReplayAsync()
    {
        var emulator = await YuHuanEmulator.StartAsync();
        emulator.ServeCassette(Cassette.Load(CassettePath));
        return emulator;
    }

    private CassetteRecorder Recorder(CassetteOptions? options = null) =>
        new(CassettePath, options) { InnerHandler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None } };
}
