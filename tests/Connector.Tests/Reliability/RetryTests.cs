using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using YuHuan.Connector.Http;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// Retries against the emulator: only failures before the first byte of a response are retried, every attempt
/// sends the identical request, and the total wait is bounded by <c>MaxRetries × MaxRetryDelay</c>.
/// </summary>
public sealed class RetryTests : ReliabilityTestBase
{
    public static TheoryData<YuHuanProtocol, int> WithStatus => TestProtocols.Cross(400, 401, 403, 404, 413, 422);

    public static TheoryData<YuHuanProtocol, string> WithFault => TestProtocols.Cross("reset", "stall", "error-event", "cut-off", "malformed-event");

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ResetBeforeHeaders_IsRetried_WithTheIdenticalRequest(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.ResetBeforeHeaders(), EmulatorReply.ResetBeforeHeaders(), EmulatorReply.Text("Third time lucky."));
        using var client = CreateTrackedClient(o =>
        {
            o.MaxRetries = 2;
            o.AdditionalHeaders["X-Tenant"] = "tenant-7";
        });

        var outcome = await StreamAsync(client.Client);

        Assert.Null(outcome.Error);
        Assert.Equal("Third time lucky.", outcome.Text);
        AssertIdenticalRequests(3);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RetryableStatuses_AreRetried_WithTheIdenticalRequest(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Every status the client retries, each asking for a short wait (retry-after-ms), then success.
        var statuses = new[] { 408, 429, 500, 502, 503, 504, 529 };
        Emulator.Enqueue([.. statuses.Select(s => EmulatorReply.HttpError(s, $"transient {s}").WithHeader("retry-after-ms", "10")), EmulatorReply.Text("Finally.")]);
        using var client = CreateTrackedClient(o => o.MaxRetries = statuses.Length);

        var outcome = await StreamAsync(client.Client);

        Assert.Null(outcome.Error);
        Assert.Equal("Finally.", outcome.Text);
        AssertIdenticalRequests(statuses.Length + 1);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(WithStatus))]
    public async Task ClientErrorStatuses_AreNeverRetried(YuHuanProtocol protocol, int status)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.HttpError(status, "No.", "invalid_request_error"), EmulatorReply.Text("must not be reached"));
        using var client = CreateTrackedClient(o => o.MaxRetries = 3);

        var outcome = await StreamAsync(client.Client);

        Assert.Equal(status, outcome.ApiError.StatusCode);
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(WithFault))]
    public async Task FailureAfterTheFirstByteOfAStream_IsNeverRetried(YuHuanProtocol protocol, string fault)
    {
        UseProtocol(protocol);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = new EmulatorReply().AddText("partial answer", chunkSize: 8);
        var events = Wire.EventsBeforeText + 1;
        switch (fault)
        {
            case "reset":
                reply.PauseAfter(events, release.Task).DropConnectionAfter(events);
                break;
            case "stall":
                reply.PauseAfter(events, new TaskCompletionSource().Task);
                break;
            case "error-event":
                reply.WithStreamError("Overloaded mid-answer.", "overloaded_error");
                break;
            case "cut-off":
                reply.Truncated();
                break;
        }

        // Malformed: the events up to "partial " as the emulator renders them, then one that is not JSON.
        var partial = Wire.RenderEvents(new EmulatorReply().AddText("partial answer", chunkSize: 8)).Take(events).SelectMany(e => e);
        Emulator.Enqueue(fault == "malformed-event"
            ? EmulatorReply.RawResponse(200, "text/event-stream", Encoding.UTF8.GetString([.. partial]) + "data: {not json\n\n")
            : reply);
        Emulator.DefaultReply = EmulatorReply.Text("a retry must not happen");
        // Only the stall needs the network timeout to end it; a short one elsewhere would also cut a slow first response.
        using var client = CreateTrackedClient(o => (o.MaxRetries, o.NetworkTimeout) = (5, TimeSpan.FromSeconds(fault == "stall" ? 2 : 30)));

        var outcome = await StreamAsync(client.Client, onUpdate: (_, n) =>
        {
            if (n == Wire.UpdatesBeforeText + 1)
            {
                release.TrySetResult();
            }

            return Task.CompletedTask;
        });

        Assert.IsType<YuHuanApiException>(outcome.Error);
        Assert.StartsWith("partial ", outcome.Text, StringComparison.Ordinal);
        Assert.Single(Emulator.Requests);
        Assert.Equal(1, client.Tracker.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RetryAfterBeyondMaxRetryDelay_IsNotWaitedFor_AndReported(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        Emulator.Enqueue(EmulatorReply.HttpError(429, "Come back in two minutes.", "rate_limit_error", retryAfter: TimeSpan.FromSeconds(120)), EmulatorReply.Text("not reached"));
        var log = new LogRecorder();
        using var client = new TrackedClient(Options(o => (o.MaxRetries, o.MaxRetryDelay) = (3, TimeSpan.FromSeconds(30))), log);

        var outcome = await StreamAsync(client.Client);

        var ex = outcome.ApiError;
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Empty(RetryDelays(log));

        // Reported without a wait: not the 120 s asked for, nor even MaxRetryDelay (however loaded the machine is).
        Assert.InRange(outcome.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task TotalWait_IsBoundedByMaxRetriesTimesMaxRetryDelay(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Four failures asking for 200 ms each: the client waits between attempts, never more than it may.
        const int retries = 3;
        var maxDelay = TimeSpan.FromMilliseconds(250);
        Emulator.Enqueue([.. Enumerable.Range(0, retries + 1).Select(_ => EmulatorReply.HttpError(503, "busy").WithHeader("retry-after-ms", "200"))]);
        var log = new LogRecorder();
        using var client = new TrackedClient(Options(o => (o.MaxRetries, o.MaxRetryDelay) = (retries, maxDelay)), log);

        var outcome = await StreamAsync(client.Client);

        Assert.Equal(503, outcome.ApiError.StatusCode);
        Assert.Equal(retries + 1, Emulator.Requests.Count);

        // The waits the client chose (as it logs them): the 200 ms asked for, each within MaxRetryDelay. How long they
        // took is up to the machine's load; that they were waited at all shows in the elapsed time, which load only
        // lengthens. Timers may fire up to a tick (about 15 ms) early, so that is checked with that much slack each.
        Assert.Equal(Enumerable.Repeat(200L, retries), RetryDelays(log));
        Assert.True(RetryDelays(log).Sum() <= retries * (long)maxDelay.TotalMilliseconds);
        Assert.True(outcome.Elapsed >= TimeSpan.FromMilliseconds(retries * (200 - 16)), $"{outcome.Elapsed.TotalMilliseconds:0} ms for {retries} waits of 200 ms");
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task CancellationDuringARetryWait_StopsAtOnce(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // A wait of two minutes: stopping "at once" means long before it would end, which no load on the machine blurs.
        Emulator.Enqueue(EmulatorReply.HttpError(503, "busy", retryAfter: TimeSpan.FromSeconds(120)), EmulatorReply.Text("not reached"));
        var log = new LogRecorder();
        using var client = new TrackedClient(Options(o => (o.MaxRetries, o.MaxRetryDelay) = (2, TimeSpan.FromMinutes(5))), log);
        using var cts = new CancellationTokenSource();

        var call = StreamAsync(client.Client, cts.Token);
        await WaitForRequestsAsync(1);
        await Eventually.HoldsAsync(() => RetryDelays(log).Count == 1, () => "the client never logged its wait before the retry", TimeSpan.FromSeconds(60));
        var watch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var outcome = await call.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.IsAssignableFrom<OperationCanceledException>(outcome.Error);
        Assert.Equal([120_000L], RetryDelays(log));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        Assert.Single(Emulator.Requests);
        await AssertCleanAsync(outcome, client);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public void Backoff_ForAnyAttempt_StaysWithinItsBounds(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Without Retry-After: about 0.5 s, 1 s, 2 s, 4 s, then 8 s for ever, ±20 %.
        Gen.Int[0, int.MaxValue].Sample(attempt =>
        {
            var delay = GatewayTransport.Backoff(attempt);
            var nominal = 500 * Math.Pow(2, Math.Min(attempt, 4));
            return delay.TotalMilliseconds >= nominal * 0.8 && delay.TotalMilliseconds <= nominal * 1.2 && delay <= TimeSpan.FromSeconds(9.6);
        }, iter: 10_000);
    }

    /// <summary>The waits before retries, in milliseconds, as the client logged them.</summary>
    private static List<long> RetryDelays(LogRecorder log) =>
        [.. log.Lines.Select(l => Regex.Match(l.Text, @"\| DelayMilliseconds=(\d+)")).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private void AssertIdenticalRequests(int count)
    {
        var requests = Emulator.Requests;
        string[] names = ["Content-Type", "Accept", "X-Tenant", .. Wire.KeyHeaders(ApiKey).Keys, .. Wire.ProtocolHeaders];
        var keyHeaders = Wire.KeyHeadersThroughCallersClient(ApiKey);
        Assert.Equal(count, requests.Count);
        foreach (var request in requests.Skip(1))
        {
            Assert.Equal(requests[0].Body, request.Body);
            Assert.Equal(requests[0].Path, request.Path);
            foreach (var name in names)
            {
                Assert.Equal(requests[0].Headers.GetValueOrDefault(name), request.Headers.GetValueOrDefault(name));
            }
        }

        // The client under test was handed its HttpClient: the key travels only in Authorization.
        foreach (var (name, value) in keyHeaders)
        {
            Assert.Equal(value, requests[^1].Headers[name]);
        }

        Assert.Equal(keyHeaders.Count, requests[^1].Headers.Count(h => h.Value.Contains(KeyPart, StringComparison.Ordinal)));

        Assert.False(string.IsNullOrEmpty(requests[0].Body), $"request body of {count.ToString(CultureInfo.InvariantCulture)} attempts");
    }
}
