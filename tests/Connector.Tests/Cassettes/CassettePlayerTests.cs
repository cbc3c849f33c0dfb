using System.Net;
using System.Text;
using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Cassettes.CassetteText;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>How an emulator replays a cassette (<see cref="YuHuanEmulator.ServeCassette"/>): which recorded exchange a
/// request gets, what a request that matches none is told, how each exchange ends, and the recorded pacing.</summary>
public sealed class CassettePlayerTests : LoopbackEmulatorTestBase
{
    private const string Chat = "/v1/chat/completions";
    private const string HiBody = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    [Fact]
    public async Task Request_MatchingAnExchange_GetsItsStatusHeadersAndBody()
    {
        Emulator.ServeCassette(Read(
            Request(1, "POST", Chat, body: HiBody),
            Response(1, 1, 429, 21, "Content-Type", "application/json", "Retry-After", "3", "x-request-id", "req-7"),
            Chunk(1, 2, "{\"error\":"),
            Chunk(1, 3, "\"slow down\"}"),
            End(1, 4)));

        using var response = await PostAsync(Chat, HiBody);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("{\"error\":\"slow down\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(21, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
        Assert.Equal("req-7", Assert.Single(response.Headers.GetValues("x-request-id")));
        Assert.Empty(Emulator.UnplayedExchanges);
        Assert.Single(Emulator.Requests);
    }

    [Fact]
    public async Task Request_MatchingAReplayedExchange_IsToldItWasReplayedAlready()
    {
        Emulator.ServeCassette(Read(Answered(1, "POST", Chat, HiBody, 200, "once")));
        using (var first = await PostAsync(Chat, HiBody))
        {
            Assert.Equal("once", await first.Content.ReadAsStringAsync());
        }

        using var second = await PostAsync(Chat, HiBody);

        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        var error = await ErrorAsync(second);
        Assert.Equal(
            "POST /v1/chat/completions matches recorded exchange 1, which was replayed already; a cassette replays each exchange once, so record the repeated request too.",
            error.GetProperty("message").GetString());
        Assert.Equal("cassette_mismatch", error.GetProperty("type").GetString());
        Assert.Equal("no_recorded_exchange", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Request_MatchingNone_NamesTheNearestExchangeAndTheFirstDifference()
    {
        Emulator.ServeCassette(Read(
        [
            .. Answered(1, "POST", "/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 200, "a"),
            .. Answered(2, "POST", Chat, HiBody, 200, "b"),
            .. Answered(3, "GET", "/v1/responses/resp_1", string.Empty, 200, "c"),
        ]));

        using var response = await PostAsync(Chat, HiBody.Replace("\"Hi\"", "\"Hello\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            "No recorded exchange matches POST /v1/chat/completions. Nearest: exchange 2, POST /v1/chat/completions; first difference: body at $.messages[0].content: recorded \"Hi\", live \"Hello\".",
            (await ErrorAsync(response)).GetProperty("message").GetString());
        Assert.Equal(3, Emulator.UnplayedExchanges.Count);
    }

    [Fact]
    public async Task Request_ToAnEmptyCassette_IsToldItIsEmpty()
    {
        Emulator.ServeCassette(Read());

        using var response = await PostAsync("/v1/messages", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No recorded exchange matches POST /v1/messages: the cassette is empty.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameRequestRecordedTwice_EachGetsItsOwnResponseInOrder()
    {
        // Polls of a background response: the same request, answered "in_progress", then "completed".
        Emulator.ServeCassette(Read(
        [
            .. Answered(1, "GET", "/v1/responses/resp_1", string.Empty, 200, "in_progress"),
            .. Answered(2, "GET", "/v1/responses/resp_1", string.Empty, 200, "completed"),
        ]));

        var first = await Http.GetStringAsync(Uri("/v1/responses/resp_1"));
        var unplayedAfterFirst = Emulator.UnplayedExchanges.Count;
        var second = await Http.GetStringAsync(Uri("/v1/responses/resp_1"));
        using var third = await Http.GetAsync(Uri("/v1/responses/resp_1"));

        Assert.Equal("in_progress", first);
        Assert.Equal(1, unplayedAfterFirst);
        Assert.Equal("completed", second);
        Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
        Assert.Contains("matches recorded exchange 1, which was replayed already", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Emulator.UnplayedExchanges);
    }

    [Fact]
    public async Task DifferentRequests_GetTheirOwnExchangesInAnyOrder()
    {
        Emulator.ServeCassette(Read(
        [
            .. Answered(1, "POST", Chat, HiBody, 200, "to hi"),
            .. Answered(2, "POST", Chat, HiBody.Replace("Hi", "Bye", StringComparison.Ordinal), 200, "to bye"),
        ]));

        using var bye = await PostAsync(Chat, HiBody.Replace("Hi", "Bye", StringComparison.Ordinal));
        var unplayed = Emulator.UnplayedExchanges.Single().Request.Body;
        using var hi = await PostAsync(Chat, HiBody);

        Assert.Equal("to bye", await bye.Content.ReadAsStringAsync());
        Assert.Equal(HiBody, unplayed);
        Assert.Equal("to hi", await hi.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PathRecordedPercentEncoded_MatchesTheRequestTheServerDecodes()
    {
        // A recorder keeps the path as the client sent it; the server hands the emulator the path decoded.
        Emulator.ServeCassette(Read(Answered(1, "GET", "/v1/responses/resp%20%C3%A9", string.Empty, 200, "found")));

        var answer = await Http.GetStringAsync(Uri("/v1/responses/resp%20%C3%A9"));

        Assert.Equal("found", answer);
    }

    [Fact]
    public async Task FailedExchange_ResetsTheConnection()
    {
        Emulator.ServeCassette(Read(Request(1, "POST", Chat, body: HiBody), End(1, 5, "failed", "Connection refused")));

        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(Chat, HiBody));

        Assert.Empty(Emulator.UnplayedExchanges);
    }

    [Fact]
    public async Task CutExchange_SendsWhatCameThenBreaksTheConnection()
    {
        Emulator.ServeCassette(Read(
            Request(1, "POST", Chat, body: HiBody),
            Response(1, 1, 200, null, "Content-Type", "text/event-stream"),
            Chunk(1, 2, "data: {\"n\":1}\n\n"),
            End(1, 3, "cut")));
        using var request = new HttpRequestMessage(HttpMethod.Post, Uri(Chat)) { Content = new StringContent(HiBody) };

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var error = await Record.ExceptionAsync(() => body.CopyToAsync(received));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("data: {\"n\":1}\n\n", Encoding.UTF8.GetString(received.ToArray()));
        Assert.True(error is IOException or HttpRequestException, $"Expected the connection to break, got {error?.GetType().Name ?? "the end of the body"}.");
    }

    [Fact]
    public async Task ExpectedApiKey_IsStillChecked()
    {
        Emulator.ExpectedApiKey = "right-key";
        Emulator.ServeCassette(Read(Answered(1, "POST", Chat, HiBody, 200, "answer")));

        using var wrong = await PostAsync(Chat, HiBody, "wrong-key");
        var unplayedAfterWrong = Emulator.UnplayedExchanges.Count;
        using var right = await PostAsync(Chat, HiBody, "right-key");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("authentication_error", (await ErrorAsync(wrong)).GetProperty("type").GetString());
        Assert.Equal(1, unplayedAfterWrong);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("answer", await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SecretFieldValueElsewhereInTheRequest_StillMatches()
    {
        // Recorded with SecretFields { "user" } and Secrets { "s3cr3t-query" }: the value was learnt and scrubbed from the
        // rest of the request too, so the live request is scrubbed the same way before it is compared.
        Emulator.ServeCassette(
            Read(Answered(1, "POST", Chat, "{\"model\":\"m\",\"user\":\"[redacted]\",\"metadata\":{\"owner\":\"[redacted]\"}}", 200, "matched", "?token=[redacted]")),
            new CassetteOptions { SecretFields = { "user" }, Secrets = { "s3cr3t-query" } });

        using var response = await PostAsync(Chat + "?token=s3cr3t-query", "{\"model\":\"m\",\"user\":\"user-00123\",\"metadata\":{\"owner\":\"user-00123\"}}");

        Assert.Equal("matched", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeepPacing_WaitsTheRecordedGapsOnTheOptionsClock()
    {
        var clock = new ImmediateTimeProvider();
        Emulator.ServeCassette(
            Read(
                Request(1, "POST", Chat, body: HiBody),
                Response(1, 41.2, 200, null, "Content-Type", "text/event-stream"),
                Chunk(1, 41.9, "a"),
                Chunk(1, 43, "b"),
                Chunk(1, 43, "c"),
                Chunk(1, 45.5, "d"),
                End(1, 46),
                Request(2, "POST", "/v1/messages", body: HiBody),
                End(2, 12.5, "failed", "reset")),
            new CassetteOptions { KeepPacing = true, TimeProvider = clock });

        using var response = await PostAsync(Chat, HiBody);
        var body = await response.Content.ReadAsStringAsync();
        var streamWaits = clock.DueTimes;
        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync("/v1/messages", HiBody));

        Assert.Equal("abcd", body);

        // The headers at 41.2 ms, then each gap between pieces; pieces that came together wait for nothing.
        Assert.Equal([Ms(41.2), Ms(0.7), Ms(1.1), Ms(2.5)], streamWaits);

        // A failed exchange waits as long as the failure took.
        Assert.Equal([Ms(41.2), Ms(0.7), Ms(1.1), Ms(2.5), Ms(12.5)], clock.DueTimes);
    }

    [Fact]
    public async Task WithoutKeepPacing_NoTimerIsMade()
    {
        var clock = new ImmediateTimeProvider();
        Emulator.ServeCassette(
            Read(Request(1, "POST", Chat, body: HiBody), Response(1, 400, 200), Chunk(1, 900, "slow"), Chunk(1, 1800, "er"), End(1, 2000)),
            new CassetteOptions { TimeProvider = clock });

        using var response = await PostAsync(Chat, HiBody);

        Assert.Equal("slower", await response.Content.ReadAsStringAsync());
        Assert.Empty(clock.DueTimes);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }

    private Task<HttpResponseMessage> PostAsync(string pathAndQuery, string body, string? apiKey = null) =>
        PostAsync(pathAndQuery, body, headers => headers.Authorization = apiKey is null ? null : new("Bearer", apiKey));
}
