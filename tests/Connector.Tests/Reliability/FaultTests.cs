using System.Globalization;
using System.Net.Http;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// Every fault a gateway or the network between can produce, over real loopback HTTP against the emulator. Each
/// case must end in the documented exception, carrying the status and the server's message, after yielding what
/// was received, without showing the key, and leave nothing running. Every case runs over each protocol of
/// <see cref="TestProtocols"/>; the emulator's scripts are protocol-neutral.
/// </summary>
public sealed class FaultTests : ReliabilityTestBase
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);

    // Timers may fire a little before a stopwatch started at the call says the time is up.
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(25);

    /// <summary>Protocols × statuses × body shapes × streaming or not.</summary>
    public static TheoryData<YuHuanProtocol, int, string, bool> ErrorStatuses
    {
        get
        {
            var data = new TheoryData<int, string, bool>();
            foreach (var status in new[] { 401, 403, 404, 413, 429, 500, 502, 503, 529 })
            {
                foreach (var body in new[] { "json", "html", "empty" })
                {
                    data.Add(status, body, true);
                    data.Add(status, body, false);
                }
            }

            return TestProtocols.Cross(data);
        }
    }

    public static TheoryData<YuHuanProtocol, bool> WithOwnHttpClient => TestProtocols.Cross(false, true);

    public static TheoryData<YuHuanProtocol, int, string> WithStatusAndForm => TestProtocols.Cross(new TheoryData<int, string>
    {
        { 429, "none" },
        { 429, "seconds" },
        { 429, "date" },
        { 429, "past-date" },
        { 503, "none" },
        { 503, "seconds" },
        { 503, "date" },
        { 503, "past-date" },
    });

    public static TheoryData<YuHuanProtocol, string, string, bool> WithContentTypeAndBodyAndStreaming => TestProtocols.Cross(new TheoryData<string, string, bool>
    {
        { "text/html", "<html><body>Welcome to our captive portal</body></html>", true },
        { "text/html", "<html><body>Welcome to our captive portal</body></html>", false },
        { "text/plain", "OK", true },
        { "text/plain", "OK", false },
        { "application/octet-stream", "\u0001\u0002", true },
    });

    public static TheoryData<YuHuanProtocol, bool> WithStreaming => TestProtocols.Cross(true, false);

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ConnectionRefused_FailsWithConnectionError(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        var port = ClosedPort.Find();
        using var client = CreateTrackedClient(o => o.Endpoint = new Uri($"http://127.0.0.1:{port}/v1/"));

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Empty(outcome.Updates);
        Assert.Null(ex.StatusCode);
        Assert.Equal("connection_error", ex.ErrorType);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ResetBeforeHeaders_FailsWithConnectionError(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.ResetBeforeHeaders());
        using var client = CreateTrackedClient();

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Empty(outcome.Updates);
        Assert.Null(ex.StatusCode);
        Assert.Equal("connection_error", ex.ErrorType);
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(WithOwnHttpClient))]
    public async Task ResetMidStream_YieldsWhatArrived_ThenFailsAsConnectionLost_NeverRetried(YuHuanProtocol protocol, bool ownHttpClient)
    {
        UseProtocol(protocol);
        // The emulator holds the connection after the events of "one " and "two " (and those before the text) until
        // the client has yielded them all, then aborts it: what arrived is known exactly.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = Wire.EventsBeforeText + 2;
        Emulator.Enqueue(new EmulatorReply().AddText("one two three four", chunkSize: 4).PauseAfter(events, release.Task).DropConnectionAfter(events));
        using var client = CreateClient(ownHttpClient, o => o.MaxRetries = 3);

        var outcome = await StreamAsync(client.Client, onUpdate: (_, n) =>
        {
            if (n == Wire.UpdatesBeforeText + 2)
            {
                release.SetResult();
            }

            return Task.CompletedTask;
        });

        var ex = outcome.ApiError;
        Assert.Equal("one two ", outcome.Text);
        Assert.Null(ex.StatusCode);
        Assert.Equal("connection_error", ex.ErrorType);
        Assert.Contains("lost", ex.Message, StringComparison.Ordinal);
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StallBeforeHeaders_NetworkTimeoutFires(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.Text("too late").WithDelayBeforeHeaders(TimeSpan.FromMinutes(5)));
        using var client = CreateTrackedClient(o => o.NetworkTimeout = ShortTimeout);

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Empty(outcome.Updates);
        Assert.Equal("timeout", ex.ErrorType);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("NetworkTimeout", ex.Message, StringComparison.Ordinal);
        Assert.InRange(outcome.Elapsed, ShortTimeout - TimerSlack, TimeSpan.FromSeconds(10));
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StallBeforeHeaders_CancellationStopsTheCall(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.Text("too late").WithDelayBeforeHeaders(TimeSpan.FromMinutes(5)));
        using var client = CreateTrackedClient(o => o.NetworkTimeout = Timeout.InfiniteTimeSpan);
        using var cts = new CancellationTokenSource();

        var call = StreamAsync(client.Client, cts.Token);
        await WaitForRequestsAsync(1);
        await cts.CancelAsync();
        var outcome = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsAssignableFrom<OperationCanceledException>(outcome.Error);
        Assert.Empty(outcome.Updates);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(WithOwnHttpClient))]
    public async Task StallMidStream_NetworkTimeoutFires_AfterYieldingWhatArrived(YuHuanProtocol protocol, bool ownHttpClient)
    {
        UseProtocol(protocol);
        var never = new TaskCompletionSource().Task;
        Emulator.Enqueue(new EmulatorReply().AddText("first then nothing", chunkSize: 6).PauseAfter(Wire.EventsBeforeText + 1, never));
        using var client = CreateClient(ownHttpClient, o => (o.NetworkTimeout, o.MaxRetries) = (ShortTimeout, 3));

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Equal("first ", outcome.Text);
        Assert.Null(ex.StatusCode);
        Assert.Equal("timeout", ex.ErrorType);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.InRange(outcome.Elapsed, ShortTimeout - TimerSlack, TimeSpan.FromSeconds(10));
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StallMidStream_CancellationStopsTheCall(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(new EmulatorReply().AddText("first then nothing", chunkSize: 6).PauseAfter(Wire.EventsBeforeText + 1, new TaskCompletionSource().Task));
        using var client = CreateTrackedClient(o => o.NetworkTimeout = Timeout.InfiniteTimeSpan);
        using var cts = new CancellationTokenSource();

        var outcome = await StreamAsync(client.Client, cts.Token, async (_, n) =>
        {
            if (n == Wire.UpdatesBeforeText + 1)
            {
                await cts.CancelAsync();
            }
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsAssignableFrom<OperationCanceledException>(outcome.Error);
        Assert.Equal("first ", outcome.Text);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(ErrorStatuses))]
    public async Task HttpError_WithJsonHtmlOrEmptyBody_FailsWithStatusTypeAndServerMessage(YuHuanProtocol protocol, int status, string body, bool streaming)
    {
        UseProtocol(protocol);
        var (reply, expectedMessage, expectedType) = body switch
        {
            "json" => (EmulatorReply.HttpError(status, $"The gateway explains {status}.", $"gateway_error_{status}", $"code_{status}"), $"The gateway explains {status}.", $"gateway_error_{status}"),
            "html" => (EmulatorReply.RawResponse(status, "text/html", $"<html><head><title>{status} Proxy Trouble</title></head><body><h1>nginx</h1></body></html>"), $"{status} Proxy Trouble", DefaultType(status)),
            _ => (EmulatorReply.RawResponse(status, string.Empty, string.Empty), status.ToString(CultureInfo.InvariantCulture), DefaultType(status)),
        };
        Emulator.Enqueue(reply);
        using var client = CreateTrackedClient();

        var outcome = await CallAsync(client.Client, streaming);

        var ex = outcome.ApiError;
        Assert.Empty(outcome.Updates);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(expectedType, ex.ErrorType);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
        Assert.Equal(body == "json" && Wire.ErrorsCarryCode ? $"code_{status}" : null, ex.ErrorCode);
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(WithStatusAndForm))]
    public async Task RetryAfter_InSecondsOrDateForm_IsReportedOnTheException(YuHuanProtocol protocol, int status, string form)
    {
        UseProtocol(protocol);
        var reply = EmulatorReply.HttpError(status, "Please wait.", status == 429 ? "rate_limit_error" : "overloaded_error", retryAfter: form == "seconds" ? TimeSpan.FromSeconds(120) : null);
        if (form is "date" or "past-date")
        {
            reply.WithHeader("Retry-After", DateTimeOffset.UtcNow.AddSeconds(form == "date" ? 120 : -60).ToString("R", CultureInfo.InvariantCulture));
        }

        Emulator.Enqueue(reply);
        using var client = CreateTrackedClient();

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains("Please wait.", ex.Message, StringComparison.Ordinal);
        switch (form)
        {
            case "none":
                Assert.Null(ex.RetryAfter);
                break;
            case "seconds":
                Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
                break;
            case "date":
                // An HTTP date has whole seconds, and a moment passes between writing and reading it.
                Assert.InRange(ex.RetryAfter!.Value, TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(121));
                break;
            default:
                Assert.Equal(TimeSpan.Zero, ex.RetryAfter);
                break;
        }

        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(WithContentTypeAndBodyAndStreaming))]
    public async Task SuccessStatusWithoutAnEventStreamOrJson_FailsNamingTheContentType(YuHuanProtocol protocol, string contentType, string body, bool streaming)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.RawResponse(200, contentType, body));
        using var client = CreateTrackedClient();

        var outcome = await CallAsync(client.Client, streaming);

        var ex = outcome.ApiError;
        Assert.Empty(outcome.Updates);
        Assert.Null(ex.StatusCode);
        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
        Assert.Contains(contentType, ex.Message, StringComparison.Ordinal);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(WithStreaming))]
    public async Task SuccessStatusWithJsonThatIsNotJson_FailsAsInvalidResponse(YuHuanProtocol protocol, bool streaming)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.RawResponse(200, "application/json", "{\"id\": \"cut off"));
        using var client = CreateTrackedClient();

        var outcome = await CallAsync(client.Client, streaming);

        var ex = outcome.ApiError;
        Assert.Empty(outcome.Updates);
        Assert.Equal("invalid_response", ex.ErrorType);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GzipEncodedStream_YieldsTheSameUpdatesAsAPlainOne(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        EmulatorReply Script() => new EmulatorReply()
            .WithId(Wire.ResponseId("gzip"))
            .AddReasoning("Compressed thoughts, ünïcödé included.", chunkSize: 5)
            .AddText("A compressed answer ✨ in many pieces.", chunkSize: 3)
            .AddToolCall("call_z", "zip", """{"level":9,"name":"deflate"}""", fragments: 4)
            .WithUsage(10, 20, reasoningTokens: 5);
        Emulator.Enqueue(Script(), Script().WithGzip());
        using var client = CreateOwningClient();

        var plain = await StreamAsync(client);
        var gzipped = await StreamAsync(client);

        Assert.Null(plain.Error);
        Assert.Null(gzipped.Error);
        // The two responses are rendered a moment apart: their creation times may fall in different seconds.
        static string WithoutTime(string signature) => System.Text.RegularExpressions.Regex.Replace(signature, " created=[0-9]*", string.Empty);
        Assert.Equal(WithoutTime(UpdateSignature.Of(plain.Updates)), WithoutTime(UpdateSignature.Of(gzipped.Updates)));
        Assert.Equal("A compressed answer ✨ in many pieces.", gzipped.Text);
        Assert.Contains("gzip", Emulator.Requests[1].Headers["Accept-Encoding"], StringComparison.Ordinal);
        await AssertCleanAsync(gzipped, client);
    }

    [Theory]
    [MemberData(nameof(WithStreaming))]
    public async Task GzipEncodedErrorBody_IsReadForTheMessage(YuHuanProtocol protocol, bool streaming)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.HttpError(500, "Compressed complaint.", "server_error").WithGzip());
        using var client = CreateOwningClient();

        var outcome = await CallAsync(client, streaming);

        var ex = outcome.ApiError;
        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("Compressed complaint.", ex.Message, StringComparison.Ordinal);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StreamThatClaimsGzipButIsNot_FailsAsInvalidResponse(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.RawResponse(200, "text/event-stream", "data: this is not gzip at all\n\n").WithHeader("Content-Encoding", "gzip"));
        using var client = CreateTrackedClient();

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Equal("invalid_response", ex.ErrorType);
        Assert.IsType<InvalidDataException>(ex.InnerException);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ErrorEventInsideTheStream_YieldsWhatArrived_ThenFailsWithTheServerMessage(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(new EmulatorReply().AddText("Half an ans", chunkSize: 4).WithStreamError("The upstream model crashed.", "server_error", "upstream_crash"));
        using var client = CreateTrackedClient(o => o.MaxRetries = 3);

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Equal("Half an ans", outcome.Text);
        Assert.Null(ex.StatusCode);
        Assert.Equal(Wire.ErrorEventsCarryType ? "server_error" : "upstream_crash", ex.ErrorType);
        Assert.Equal(Wire.ErrorsCarryCode ? "upstream_crash" : null, ex.ErrorCode);
        Assert.Contains("The upstream model crashed.", ex.Message, StringComparison.Ordinal);
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task StreamThatJustStops_YieldsWhatArrived_ThenFailsAsIncomplete(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(new EmulatorReply().AddReasoning("Thinking…").AddText("Once upon a").Truncated());
        using var client = CreateTrackedClient(o => o.MaxRetries = 3);

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Equal("Once upon a", outcome.Text);
        Assert.Equal("incomplete_stream", ex.ErrorType);
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RedirectToAnotherOrigin_NeverCarriesTheKey(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        await using var elsewhere = await YuHuanEmulator.StartAsync();
        Emulator.Enqueue(EmulatorReply.RawResponse(307, string.Empty, string.Empty).WithHeader("Location", new Uri(elsewhere.Endpoint, Wire.RelativePath).AbsoluteUri));
        using var client = CreateOwningClient();

        var outcome = await StreamAsync(client);

        // Following the redirect or refusing it are both safe; carrying the key along is not.
        AssertKeyNotShown(outcome.Error);
        Assert.True(elsewhere.Requests.Count == 1 || outcome.Error is YuHuanApiException { StatusCode: 307 }, $"neither followed nor reported: {outcome.Error}");
        foreach (var request in elsewhere.Requests)
        {
            Assert.DoesNotContain(request.Headers, h => h.Value.Contains(KeyPart, StringComparison.Ordinal));
            Assert.DoesNotContain(KeyPart, request.Body, StringComparison.Ordinal);
        }

        client.Dispose();
        await AssertEmulatorIdleAsync();
    }

    private static string DefaultType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "server_error",
    };
}
