using System.Net;
using System.Text;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>How <see cref="CassetteScrubber"/> takes secrets out of what a cassette keeps: in every form they may be
/// quoted in, across the pieces a body arrived in, in secret JSON fields; and that the recorded length follows.</summary>
public sealed class CassetteScrubberTests : IDisposable
{
    private const string Key = "sk-test-0123456789abcdef";
    private const string Marker = CassetteScrubber.Marker;

    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-scrub-").FullName;

    /// <summary>Gets the key as a server or a body may quote it.</summary>
    public static TheoryData<string> KeyForms => new()
    {
        Key,
        Key.ToUpperInvariant(),
        "sk-test-0123456789ABCDEF",
        "\\u0073k-test-0123456789abcdef",
        "\\u0073\\u006B\\u002d\\u0074est-0123456789abcdef",
        "\\u0073\\u006b-t\\U0065st-0123456789abcde\\u0066",
        "%73k-test-0123456789abcdef",
        "%73%6B%2d%74est-0123456789abcdef",
        "&#115;k-test-0123456789abcdef",
        "&#x73;&#X6B;-test-0123456789abcdef",
        "sk\\u002Dtest-0123456789abcdef",
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(KeyForms))]
    public void Scrub_KeyInAnyForm_BecomesTheMarker(string form)
    {
        var scrubber = Secrets(Key);

        Assert.Equal($"before {Marker} after", scrubber.Scrub($"before {form} after"));
        Assert.Equal($"{Marker}{Marker}", scrubber.Scrub(form + form));
    }

    [Fact]
    public void Scrub_TextWithoutTheKey_IsKept()
    {
        var text = "sk-test-0123 is a prefix; %73 alone; \\u0073 alone; &#115; alone";

        Assert.Equal(text, Secrets(Key).Scrub(text));
    }

    [Fact]
    public void Scrub_SeveralSecrets_TheLongestFirst()
    {
        var scrubber = Secrets("abc-secret", "abc-secret-longer");

        Assert.Equal($"{Marker} and {Marker}", scrubber.Scrub("abc-secret-longer and abc-secret"));
    }

    [Fact]
    public void Scrub_ASecretWithinTheMarker_LeavesMarkersWhole()
    {
        // A learnt secret may be as short as "ted" (a user name): it stands within "[redacted]" itself.
        var scrubber = Secrets(Key, "Ted");

        Assert.Equal($"{Marker} met {Marker}", scrubber.Scrub($"{Key} met ted"));
        Assert.Equal($"{Marker}: {Marker}", scrubber.Scrub($"{Marker}: TED"));
    }

    [Fact]
    public void ScrubChunks_KeySplitAcrossTwoChunks_IsScrubbedAndTheBoundaryMovesToTheMarkersEnd()
    {
        var chunks = Chunks((1, "data: {\"echo\":\"sk-test-0123"), (2, "456789abcdef\"}\n\n"), (3, "data: [DONE]\n\n"));

        var scrubbed = Secrets(Key).Scrub(chunks);

        Assert.Equal(["data: {\"echo\":\"" + Marker, "\"}\n\n", "data: [DONE]\n\n"], Texts(scrubbed));
        Assert.Equal([At(1), At(2), At(3)], scrubbed.Select(c => c.At));
    }

    [Fact]
    public void ScrubChunks_KeyOverThreeChunks_LeavesTheMiddleChunkOut()
    {
        var chunks = Chunks((1, "x sk-te"), (2, "st-0123456"), (3, "789abcdef y"));

        var scrubbed = Secrets(Key).Scrub(chunks);

        Assert.Equal(["x " + Marker, " y"], Texts(scrubbed));
        Assert.Equal([At(1), At(3)], scrubbed.Select(c => c.At));
    }

    [Fact]
    public void ScrubChunks_EscapedKeySplitInsideAnEscape_IsScrubbed()
    {
        var chunks = Chunks((1, "{\"k\":\"\\u00"), (2, "73k-test-0123456789abcdef\"}"));

        var scrubbed = Secrets(Key).Scrub(chunks);

        Assert.Equal(["{\"k\":\"" + Marker, "\"}"], Texts(scrubbed));
    }

    [Fact]
    public void ScrubChunks_BoundaryInsideAMultiByteCharacter_MovesToTheCharactersEnd()
    {
        var bytes = Encoding.UTF8.GetBytes("h\u00e9llo \U0001F600!");
        List<CassetteChunk> chunks =
        [
            new(At(1), bytes[..2]),    // "h" and the first byte of "é"
            new(At(2), bytes[2..8]),   // the rest of "é", "llo ", the first byte of the emoji
            new(At(3), bytes[8..10]),  // two more bytes of the emoji only
            new(At(4), bytes[10..]),   // its last byte and "!"
        ];

        var scrubbed = Secrets(Key).Scrub(chunks);

        Assert.Equal(["h\u00e9", "llo \U0001F600", "!"], Texts(scrubbed));
        Assert.Equal([At(1), At(2), At(4)], scrubbed.Select(c => c.At));
        Assert.Equal(bytes, scrubbed.SelectMany(c => c.Data));
    }

    [Fact]
    public void ScrubChunks_NotUtf8_AreScrubbedByteByByte()
    {
        var chunks = new List<CassetteChunk> { new(At(1), [0xFF, .. Encoding.UTF8.GetBytes(Key[..10])]), new(At(2), [.. Encoding.UTF8.GetBytes(Key[10..]), 0xC3]) };

        var scrubbed = Secrets(Key).Scrub(chunks);

        Assert.Equal([[0xFF, .. Encoding.ASCII.GetBytes(Marker)], [0xC3]], scrubbed.Select(c => c.Data));
        Assert.Equal([At(1), At(2)], scrubbed.Select(c => c.At));
    }

    [Fact]
    public void ScrubChunks_ReadUpToTheMiddleOfACharacter_ScrubsTheTextAndKeepsTheFirstBytesApart()
    {
        var sent = Encoding.UTF8.GetBytes($"Incorrect key: {Key} \u4f60");
        var chunks = new List<CassetteChunk> { new(At(1), sent[..20]), new(At(2), sent[20..^2]) };

        var scrubbed = Secrets(Key).Scrub(chunks);

        // The cut inside the key moves to the end of its marker.
        Assert.Equal(["Incorrect key: " + Marker, " "], scrubbed.Take(2).Select(c => Encoding.UTF8.GetString(c.Data)));
        Assert.Equal(sent[^3..^2], scrubbed[2].Data);
        Assert.Equal(At(2), scrubbed[2].At);
    }

    [Fact]
    public void RedactFields_PlainName_IsRedactedAtAnyDepthKeepingEveryOtherByte()
    {
        var scrubber = Fields(["user"]);
        var body = "{ \"model\" : \"m\",\n \"user\":\"alice-123\" , \"metadata\":{\"user\": {\"id\":7}},\"messages\":[{\"role\":\"user\",\"content\":\"user\"}],\"users\":[\"x\"]}";

        var redacted = scrubber.RedactFields(body, learn: false);

        Assert.Equal(
            "{ \"model\" : \"m\",\n \"user\":\"[redacted]\" , \"metadata\":{\"user\": \"[redacted]\"},\"messages\":[{\"role\":\"user\",\"content\":\"user\"}],\"users\":[\"x\"]}",
            redacted);
    }

    [Fact]
    public void RedactFields_DottedPath_IsFollowedFromTheRoot()
    {
        var scrubber = Fields(["metadata.session_token"]);
        var body = "{\"session_token\":\"keep-1\",\"metadata\":{\"session_token\":\"tok-1\",\"inner\":{\"session_token\":\"keep-2\"}}}";

        Assert.Equal(
            "{\"session_token\":\"keep-1\",\"metadata\":{\"session_token\":\"[redacted]\",\"inner\":{\"session_token\":\"keep-2\"}}}",
            scrubber.RedactFields(body, learn: false));
    }

    [Fact]
    public void RedactFields_Wildcard_StandsForAnyPropertyOrItem()
    {
        var scrubber = Fields(["messages.*.name", "*.token"]);
        var body = "{\"messages\":[{\"role\":\"user\",\"name\":\"n-1\"},{\"role\":\"assistant\",\"name\":\"n-2\"}],\"name\":\"keep\",\"a\":{\"token\":\"t-1\"},\"token\":\"keep\"}";

        Assert.Equal(
            "{\"messages\":[{\"role\":\"user\",\"name\":\"[redacted]\"},{\"role\":\"assistant\",\"name\":\"[redacted]\"}],\"name\":\"keep\",\"a\":{\"token\":\"[redacted]\"},\"token\":\"keep\"}",
            scrubber.RedactFields(body, learn: false));
    }

    [Fact]
    public void RedactFields_ArrayIndex_NamesThatItem()
    {
        var scrubber = Fields(["messages.1.content", "keys.0"]);
        var body = "{\"messages\":[{\"content\":\"a\"},{\"content\":[{\"type\":\"text\"}]},{\"content\":\"c\"}],\"keys\":[\"k-0\",\"k-1\"]}";

        Assert.Equal(
            "{\"messages\":[{\"content\":\"a\"},{\"content\":\"[redacted]\"},{\"content\":\"c\"}],\"keys\":[\"[redacted]\",\"k-1\"]}",
            scrubber.RedactFields(body, learn: false));
    }

    [Fact]
    public void RedactFields_NotJson_IsKept()
    {
        var scrubber = Fields(["user"]);

        Assert.Equal("user=alice", scrubber.RedactFields("user=alice", learn: true));
        Assert.Equal("{\"user\":\"alice\"", scrubber.RedactFields("{\"user\":\"alice\"", learn: true));
    }

    [Fact]
    public void RedactFields_Learning_ScrubsTheValuesEverywhereElse()
    {
        var scrubber = Fields(["user", "metadata.pin"]);

        var body = scrubber.RedactFields("{\"user\":\"alice-9f3\",\"metadata\":{\"pin\":\"4711-0042\"}}", learn: true);
        var chunks = scrubber.Scrub(Chunks((1, "{\"echo\":\"ALICE-9F3\",\"pin\":\"4711-"), (2, "0042\"}")));

        Assert.Equal("{\"user\":\"[redacted]\",\"metadata\":{\"pin\":\"[redacted]\"}}", body);
        Assert.Equal(["{\"echo\":\"" + Marker + "\",\"pin\":\"" + Marker, "\"}"], Texts(chunks));
        Assert.Equal($"for {Marker}", scrubber.Scrub("for alice%2D9f3"));
    }

    [Fact]
    public void RedactFields_Learning_TakesTheLongStringsOfAnObject()
    {
        var scrubber = Fields(["metadata"]);

        var body = scrubber.RedactFields("{\"metadata\":{\"session\":\"sess-77x\",\"ids\":[123456789,\"ident-0009\",\"id-9\"],\"ok\":true},\"n\":1}", learn: true);

        Assert.Equal("{\"metadata\":\"[redacted]\",\"n\":1}", body);
        Assert.Equal($"{Marker} 123456789 {Marker} id-9", scrubber.Scrub("sess-77x 123456789 ident-0009 id-9"));
        Assert.DoesNotContain(Marker, scrubber.Scrub("{\"metadata\":{\"session\":\"x\",\"ok\":true}}"), StringComparison.Ordinal);
    }

    [Fact]
    public void RedactFields_Learning_LeavesLiteralsAndShortValuesInTheRest()
    {
        // Taking every "true", "20241231" or "data" out of a response would break it (an SSE "data:" line) and hide nothing.
        var scrubber = Fields(["store", "level", "tag", "code"]);
        const string Response = "data: {\"store\":true,\"level\":20241231,\"tag\":\"data\",\"stream\":true,\"n\":20241231,\"t\":\"abcdefg\",\"code\":null}";

        var body = scrubber.RedactFields("{\"store\":true,\"level\":20241231,\"tag\":\"abcdefg\",\"x\":{\"tag\":\"data\"},\"code\":null}", learn: true);

        Assert.Equal("{\"store\":\"[redacted]\",\"level\":\"[redacted]\",\"tag\":\"[redacted]\",\"x\":{\"tag\":\"[redacted]\"},\"code\":\"[redacted]\"}", body);
        Assert.Equal(Response, scrubber.Scrub(Response));
    }

    [Fact]
    public void RedactFields_WithoutLearning_ScrubsNothingElse()
    {
        var scrubber = Fields(["user"]);

        scrubber.RedactFields("{\"user\":\"alice-9f3\"}", learn: false);

        Assert.Equal("alice-9f3", scrubber.Scrub("alice-9f3"));
    }

    [Fact]
    public async Task Recorder_SecretFieldValues_AreScrubbedFromTheResponseAndItsHeaders()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.Enqueue(EmulatorReply.RawResponse(200, "application/json", "{\"echo\":\"alice-9f3\"}").WithHeader("x-request-id", "req-for-alice-9f3"));
        var options = new CassetteOptions { SecretFields = { "user" } };
        var path = Path.Combine(_folder, "fields.jsonl");
        using (var http = new HttpClient(new CassetteRecorder(path, options) { InnerHandler = new SocketsHttpHandler() }))
        {
            using var response = await http.PostAsync(new Uri(emulator.Endpoint, "chat/completions"), new StringContent("{\"model\":\"m\",\"user\":\"alice-9f3\"}"));
            Assert.Equal("{\"echo\":\"alice-9f3\"}", await response.Content.ReadAsStringAsync());
        }

        var text = await File.ReadAllTextAsync(path);
        var exchange = Assert.Single(Cassette.Load(path).Exchanges);

        Assert.DoesNotContain("alice", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("{\"model\":\"m\",\"user\":\"[redacted]\"}", exchange.Request.Body);
        Assert.Equal("{\"echo\":\"[redacted]\"}", Encoding.UTF8.GetString(exchange.ResponseBody()));
        Assert.Contains(new KeyValuePair<string, string>("X-Request-ID", "req-for-[redacted]"), exchange.Response!.Headers);
    }

    [Fact]
    public void RecordedBody_ScrubbedKey_TheDeclaredLengthFollowsTheBody()
    {
        var path = Path.Combine(_folder, "length.jsonl");
        var recording = new CassetteRecording(path, new CassetteOptions());
        var request = new CassetteRequest("POST", "/v1/chat/completions", string.Empty, "{}");
        var scrubber = Secrets(Key);
        var sent = Encoding.UTF8.GetBytes($"{{\"echo\":\"{Key}\",\"again\":\"{Key.ToUpperInvariant()}\"}}");
        var body = new RecordedBody(recording, recording.Begin(), request, new CassetteResponse(At(1), 200, [], sent.Length), scrubber, System.Diagnostics.Stopwatch.GetTimestamp(), contentEncodings: []);

        body.Add(sent.AsSpan(0, 15));
        body.Add(sent.AsSpan(15));
        body.End(CassetteOutcome.Abandoned);

        var exchange = Assert.Single(recording.Snapshot().Exchanges);
        var expected = $"{{\"echo\":\"{Marker}\",\"again\":\"{Marker}\"}}";
        Assert.Equal(expected, Encoding.UTF8.GetString(exchange.ResponseBody()));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), exchange.Response!.ContentLength);

        // Every declared byte was read: the body is complete, though the reader did not see its end.
        Assert.Equal(CassetteOutcome.Complete, exchange.Outcome);
        Assert.Equal(expected, Encoding.UTF8.GetString(Assert.Single(Cassette.Load(path).Exchanges).ResponseBody()));
    }

    [Fact]
    public async Task NonStreamedBodyHoldingTheKey_RecordsAndReplaysEndToEnd()
    {
        var path = Path.Combine(_folder, "echo.jsonl");
        var echoed = $"{{\"id\":\"x\",\"echo\":\"{Key}\",\"note\":\"caf\u00e9\"}}";
        await using (var emulator = await YuHuanEmulator.StartAsync())
        {
            emulator.Enqueue(EmulatorReply.RawResponse(200, "application/json", echoed));
            using var http = new HttpClient(new CassetteRecorder(path) { InnerHandler = new SocketsHttpHandler() });
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.Endpoint, "chat/completions")) { Content = new StringContent("{\"model\":\"m\"}") };
            request.Headers.Authorization = new("Bearer", Key);
            using var response = await http.SendAsync(request);
            Assert.Equal(echoed, await response.Content.ReadAsStringAsync());
            Assert.Equal(Encoding.UTF8.GetByteCount(echoed), response.Content.Headers.ContentLength);
        }

        var exchange = Assert.Single(Cassette.Load(path).Exchanges);
        var scrubbed = echoed.Replace(Key, Marker, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(scrubbed), exchange.Response!.ContentLength);
        Assert.NotEqual(Encoding.UTF8.GetByteCount(echoed), exchange.Response.ContentLength);

        await using var replay = await YuHuanEmulator.StartAsync();
        replay.ServeCassette(Cassette.Load(path));
        using var client = new HttpClient();
        using var replayed = await client.PostAsync(new Uri(replay.Endpoint, "chat/completions"), new StringContent("{\"model\":\"m\"}"));

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(scrubbed, await replayed.Content.ReadAsStringAsync());
        Assert.Equal(Encoding.UTF8.GetByteCount(scrubbed), replayed.Content.Headers.ContentLength);
        Assert.Empty(replay.UnplayedExchanges);
    }

    private static TimeSpan At(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static CassetteScrubber Secrets(params string[] secrets) => new([], secrets);

    private static CassetteScrubber Fields(string[] secretFields) => new(FieldPattern.ParseAll(secretFields, "fields"), []);

    private static List<CassetteChunk> Chunks(params (int At, string Text)[] pieces) =>
        [.. pieces.Select(p => new CassetteChunk(At(p.At), Encoding.UTF8.GetBytes(p.Text)))];

    private static string[] Texts(List<CassetteChunk> chunks) => [.. chunks.Select(c => Encoding.UTF8.GetString(c.Data))];
}
