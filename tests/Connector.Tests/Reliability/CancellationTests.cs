using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// A caller that gives up on a stream (cancels, breaks out of <c>await foreach</c>, disposes the enumerator) must stop
/// the server: the connection is closed, not drained. The server is paused mid-stream and lets the rest of the reply go
/// only once the caller has given up: a client that drained the body would read that rest, end the response and keep
/// the connection for the next request, so it would never close; an aborted one is closed already. The test tells the
/// two apart by what the server sees (the connection closed or not), not by a time bound a loaded machine could break;
/// the wait for the close is only a hang guard, and how long the close took is printed.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class CancellationTests(ITestOutputHelper output) : ReliabilityTestBase
{
    private const int Runs = 20;

    // A hang guard, shorter than SocketsHttpHandler's default PooledConnectionIdleTimeout (1 min): a drained connection
    // kept in the pool is not closed as idle before it ends.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>The protocols × how the caller gives up × whose <see cref="HttpClient"/> the client uses.</summary>
    public static TheoryData<YuHuanProtocol, string, bool> EarlyExits => TestProtocols.Cross(new TheoryData<string, bool>
    {
        { "cancel", true },
        { "cancel", false },
        { "break", true },
        { "break", false },
        { "dispose", true },
        { "dispose", false },
    });

    public static TheoryData<YuHuanProtocol, bool> WithOwnHttpClient => TestProtocols.Cross(true, false);

    [Theory]
    [MemberData(nameof(EarlyExits))]
    public async Task GivingUpMidStream_ServerSeesTheConnectionClosed_WhileStillPaused(YuHuanProtocol protocol, string exit, bool ownHttpClient)
    {
        UseProtocol(protocol);
        // A caller's HttpClient with the default handler and its default drain settings, as an application would pass one.
        using var callerHttpClient = ownHttpClient ? null : new HttpClient();
        var milliseconds = new List<double>(Runs);
        for (var run = 0; run < Runs; run++)
        {
            // Paused right after the event that carries the first word, until the caller has given up.
            var resume = new TaskCompletionSource();
            var reply = new EmulatorReply().AddText("one two three four five six seven", chunkSize: 4);
            var firstWord = Wire.RenderEvents(reply).ToList().FindIndex(e => Encoding.UTF8.GetString(e).Contains("one ", StringComparison.Ordinal));
            Emulator.Enqueue(reply.PauseAfter(firstWord + 1, resume.Task));
            var bytesBefore = Emulator.BodyBytesSent;
            using var client = new YuHuanChatClient(Options(), callerHttpClient);

            var exitedAt = await GiveUpAfterFirstWordAsync(client, exit);
            var request = Emulator.Requests[^1];
            var sentBeforeResume = Emulator.BodyBytesSent - bytesBefore;
            resume.SetResult();
            var closed = await Task.WhenAny(request.ConnectionClosed, Task.Delay(HangGuard)) == request.ConnectionClosed;
            var elapsed = Stopwatch.GetElapsedTime(exitedAt);

            Assert.True(closed, $"Run {run}: {elapsed.TotalMilliseconds:0} ms after the {exit}, and after the server sent the rest of the reply, it still saw the connection open: it was drained (and kept), not closed.");
            Assert.True(sentBeforeResume > 0, "the server sent the first events");
            milliseconds.Add(elapsed.TotalMilliseconds);
        }

        milliseconds.Sort();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Protocol}, {exit}, {(ownHttpClient ? "own" : "caller's")} HttpClient: the server saw the close {milliseconds[Runs / 2]:0.00} ms (median of {Runs}; min {milliseconds[0]:0.00}, max {milliseconds[^1]:0.00}) after the caller gave up."));
        await AssertEmulatorIdleAsync();
    }

    [Theory]
    [MemberData(nameof(WithOwnHttpClient))]
    public async Task CompleteStream_LeavesTheConnectionOpenForTheNextRequest(YuHuanProtocol protocol, bool ownHttpClient)
    {
        UseProtocol(protocol);
        using var callerHttpClient = ownHttpClient ? null : new HttpClient();
        using var client = new YuHuanChatClient(Options(), callerHttpClient);
        Emulator.Enqueue(EmulatorReply.Text("first"), EmulatorReply.Text("second"));

        var first = await StreamAsync(client);
        var second = await StreamAsync(client);

        Assert.Equal("first", first.Text);
        Assert.Equal("second", second.Text);
        Assert.Equal(2, Emulator.Requests.Count);
        Assert.False(Emulator.Requests[0].ConnectionClosed.IsCompleted, "a stream read to its end was not aborted: its connection stays for reuse");
    }

    /// <summary>Streams until the first word arrived, then gives up as <paramref name="exit"/> says.</summary>
    /// <returns>The <see cref="Stopwatch"/> timestamp of the moment the caller gave up.</returns>
    private static async Task<long> GiveUpAfterFirstWordAsync(IChatClient client, string exit)
    {
        long exitedAt = 0;
        switch (exit)
        {
            case "cancel":
                using (var cts = new CancellationTokenSource())
                {
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
                    {
                        await foreach (var update in client.GetStreamingResponseAsync("Tell me a story.", cancellationToken: cts.Token))
                        {
                            if (exitedAt == 0 && update.Text.Contains("one", StringComparison.Ordinal))
                            {
                                exitedAt = Stopwatch.GetTimestamp();
                                await cts.CancelAsync();
                            }
                        }
                    });
                }

                break;

            case "break":
                await foreach (var update in client.GetStreamingResponseAsync("Tell me a story."))
                {
                    if (update.Text.Contains("one", StringComparison.Ordinal))
                    {
                        exitedAt = Stopwatch.GetTimestamp();
                        break;
                    }
                }

                break;

            default:
                var enumerator = client.GetStreamingResponseAsync("Tell me a story.").GetAsyncEnumerator();
                while (await enumerator.MoveNextAsync() && !enumerator.Current.Text.Contains("one", StringComparison.Ordinal))
                {
                }

                exitedAt = Stopwatch.GetTimestamp();
                await enumerator.DisposeAsync();
                break;
        }

        Assert.NotEqual(0, exitedAt);
        return exitedAt;
    }
}
