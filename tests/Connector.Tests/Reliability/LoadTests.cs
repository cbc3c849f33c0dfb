using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// Many concurrent streams over loopback through one long-lived client: every token of every reply must arrive,
/// in order, on the stream it belongs to, and memory must return to where it was. Runs alone, since it measures
/// the heap and the throughput.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class LoadTests(ITestOutputHelper output) : ReliabilityTestBase
{
    private const int Streams = 200;
    private const int TokensPerStream = 60;

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ConcurrentStreams_200_LoseNothing_AndMemoryReturnsToBaseline(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        using var client = CreateOwningClient(o => o.MaxRetries = 0);

        // Warm up with a round as wide as the measured one (JIT, the client's and the emulator's pools and connections, the
        // thread pool's threads: what a loaded machine grows more of), so the baseline is the steady state and what the
        // measured round leaves behind is what it leaked, not what the process needed once to run 200 streams at all.
        await WarmUpAsync(client);
        var replies = Enumerable.Range(0, Streams).Select(Reply).ToArray();
        Emulator.Enqueue(replies);
        var expected = Enumerable.Range(0, Streams).ToDictionary(ResponseId, Text);

        using var probe = MemoryProbe.Start();
        // Streams between their start and their end, counted by the streams themselves (not sampled on a timer, which a
        // loaded machine may not run in time; not the connections, which the warm-up left open in the pool).
        var (inFlight, peakInFlight) = (0, 0);
        async Task<StreamOutcome> CountedStreamAsync()
        {
            InterlockedMax(ref peakInFlight, Interlocked.Increment(ref inFlight));
            var outcome = await StreamAsync(client);
            Interlocked.Decrement(ref inFlight);
            return outcome;
        }

        var watch = Stopwatch.StartNew();
        var results = new ConcurrentBag<StreamOutcome>(
            await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => Task.Run(CountedStreamAsync))).WaitAsync(TimeSpan.FromMinutes(2)));
        var elapsed = watch.Elapsed;

        // Nothing lost: 200 successful streams, each the whole of exactly one reply, every reply received once.
        Assert.Equal(Streams, results.Count);
        Assert.All(results, r => Assert.Null(r.Error));
        var byId = results.ToDictionary(r => r.Updates[0].ResponseId!, r => r);
        Assert.Equal(expected.Keys.Order(), byId.Keys.Order());
        foreach (var (id, outcome) in byId)
        {
            Assert.All(outcome.Updates, u => Assert.Equal(id, u.ResponseId));
            Assert.Equal(expected[id], outcome.Text);
            var usage = Assert.Single(outcome.Updates.SelectMany(u => u.Contents).OfType<UsageContent>());
            Assert.Equal(TokensPerStream, usage.Details.OutputTokenCount);
            Assert.Equal(ChatFinishReason.Stop, outcome.Updates.ToChatResponse().FinishReason);
        }

        var updates = results.Sum(r => r.Updates.Count);
        var tokens = results.Sum(r => r.Updates.Count(u => u.Contents.OfType<TextContent>().Any()));
        Assert.Equal(Streams * TokensPerStream, tokens);
        Assert.Equal(2 * Streams, Emulator.Requests.Count);

        // Everything let go: the client's connections close with it, and the heap returns to its baseline.
        results.Clear();
        byId.Clear();
        client.Dispose();
        await AssertEmulatorIdleAsync();
        var settled = probe.Settle();
        var growth = settled - probe.Baseline;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Wire}: {Streams} concurrent streams, {tokens} tokens in {updates} updates in {elapsed.TotalSeconds:0.00} s = {updates / elapsed.TotalSeconds:0} updates/s; " +
            $"peak {peakInFlight} streams in flight; heap baseline {probe.Baseline / 1e6:0.0} MB, peak {probe.Peak / 1e6:0.0} MB (+{probe.PeakGrowth / 1e6:0.0} MB), after {settled / 1e6:0.0} MB ({growth / 1e6:+0.0;-0.0} MB); " +
            $"working set peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB"));
        Assert.True(peakInFlight > 1, "the streams did not run concurrently");
        Assert.InRange(growth, long.MinValue, 8_000_000);
    }

    /// <summary>Runs <see cref="Streams"/> streams at once, none of them kept.</summary>
    private async Task WarmUpAsync(IChatClient client)
    {
        Emulator.Enqueue([.. Enumerable.Range(0, Streams).Select(s => Reply(-1 - s))]);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => Task.Run(() => StreamAsync(client)))).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.All(outcomes, o => Assert.Null(o.Error));
    }

    private static string ResponseId(int stream) => "load-" + stream.ToString("000", CultureInfo.InvariantCulture);

    private static string Token(int stream, int token) => string.Create(CultureInfo.InvariantCulture, $"s{stream:000}t{token:00} ");

    private static string Text(int stream) => string.Concat(Enumerable.Range(0, TokensPerStream).Select(t => Token(stream, t)));

    /// <summary>A reply of <see cref="TokensPerStream"/> tokens, one per event, that says which stream it belongs to.</summary>
    private static EmulatorReply Reply(int stream) =>
        new EmulatorReply()
            .WithId(ResponseId(stream))
            .AddText(Text(stream), chunkSize: Token(stream, 0).Length)
            .WithUsage(inputTokens: 12, outputTokens: TokensPerStream);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
