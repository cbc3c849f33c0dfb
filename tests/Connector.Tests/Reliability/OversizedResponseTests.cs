using System.Text;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;
using YuHuan.Connector.Http;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// Responses far larger than a client should hold, produced as they are read (never in memory) and replayed
/// in memory: each must fail cleanly once past the limit, or, where it is a legitimate stream of small events,
/// pass through without memory growing. Runs alone, since it measures the heap.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class OversizedResponseTests(ITestOutputHelper output)
{
    /// <summary>The size of every oversized response: 100 MB, three times the client's limit.</summary>
    private const long HugeBytes = 100_000_000;

    private const int Limit = YuHuan.Connector.Shared.ResponseLimits.MaxResponseBytes;

    private WireFormat? _wire;

    /// <summary>Gets the kit of the protocol under test, which <see cref="UseProtocol"/> set.</summary>
    private WireFormat Wire => _wire ?? throw new InvalidOperationException("The test names its protocol first: UseProtocol(protocol).");

    /// <summary>Sets the protocol under test, whose kit <see cref="Wire"/> then is.</summary>
    private void UseProtocol(YuHuanProtocol protocol) => _wire = TestProtocols.Kit(protocol);

    public static TheoryData<YuHuanProtocol, bool> WithGzip => TestProtocols.Cross(false, true);

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task SingleLineOf100MB_FailsAsResponseTooLarge_AfterYieldingWhatCameBefore(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // The events up to the text, then the protocol's padding event with 100 MB of filler on its one data line.
        var before = Wire.RenderEvents(new EmulatorReply().AddText("Before the flood.", chunkSize: 100));
        var (paddingHead, paddingTail) = Wire.RenderPaddingFrame();
        var head = Concat(before.Take(Wire.EventsBeforeText + 1), paddingHead);
        var unit = Filler((byte)'x', 64 * 1024);
        var body = new RepeatingStream(head, unit, HugeBytes / unit.Length, paddingTail);

        var (text, error, probe) = await ConsumeAsync(body);

        Assert.Equal("Before the flood.", text);
        var ex = Assert.IsType<YuHuanApiException>(error);
        Assert.Equal("response_too_large", ex.ErrorType);
        Assert.Contains("line", ex.Message, StringComparison.Ordinal);
        AssertStoppedAtTheLimit(body, probe);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task OneEventOf100MBInShortDataLines_FailsAsResponseTooLarge(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Every line is short, but an SSE parser collects all data lines of an event until the blank line.
        var head = Concat(Wire.RenderEvents(new EmulatorReply().AddText("Before.", chunkSize: 100)).Take(Wire.EventsBeforeText + 1));
        var unit = Encoding.ASCII.GetBytes("data: " + new string('x', 994) + "\n");
        var body = new RepeatingStream(head, unit, HugeBytes / unit.Length, "\n"u8.ToArray());

        var (text, error, probe) = await ConsumeAsync(body);

        Assert.Equal("Before.", text);
        var ex = Assert.IsType<YuHuanApiException>(error);
        Assert.Equal("response_too_large", ex.ErrorType);
        AssertStoppedAtTheLimit(body, probe);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task ToolCallArgumentsOf100MBInSmallFragments_FailAsResponseTooLarge(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // Each event is small; the call's arguments, which the client must collect until the call is complete, are not.
        var arguments = "{\"a\":\"" + new string('x', 3 * 16 * 1024) + "\"}";
        var events = Wire.RenderEvents(new EmulatorReply().AddToolCall("call_big", "f", arguments, fragments: 3));
        var (head, unit, tail) = SplitAroundMiddleRun(events, "xxxxxxxxxxxxxxxx");
        var body = new RepeatingStream(head, unit, HugeBytes / unit.Length, tail);

        var (_, error, probe) = await ConsumeAsync(body);

        var ex = Assert.IsType<YuHuanApiException>(error);
        Assert.Equal("response_too_large", ex.ErrorType);
        AssertStoppedAtTheLimit(body, probe);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task TextOf100MBInSmallEvents_StreamsThroughWithoutHoldingIt(YuHuanProtocol protocol)
    {
        UseProtocol(protocol);
        // A legitimate, very long answer: nothing is collected on the caller's behalf, so nothing may grow.
        var piece = new string('y', 4096);
        var events = Wire.RenderEvents(new EmulatorReply().AddText(piece + piece + piece, chunkSize: 4096));
        var (head, unit, tail) = SplitAroundMiddleRun(events, "yyyyyyyyyyyyyyyy");
        var count = HugeBytes / unit.Length;
        var body = new RepeatingStream(head, unit, count, tail);

        long characters = 0;
        long updates = 0;
        long liveAtHalf = 0;
        using var probe = MemoryProbe.Start();
        using var client = new StreamHandler(body).CreateClient(Wire.Protocol);
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            characters += update.Text.Length;
            if (++updates == count / 2)
            {
                liveAtHalf = GC.GetTotalMemory(forceFullCollection: true) - probe.Baseline;
            }
        }

        var settled = probe.Settle() - probe.Baseline;
        output.WriteLine($"{Wire}: {body.BytesRead / 1e6:0.0} MB in {updates} updates; live heap +{liveAtHalf / 1e6:0.0} MB halfway, +{settled / 1e6:0.0} MB after; peak +{probe.PeakGrowth / 1e6:0.0} MB.");
        Assert.Equal(body.Length, body.BytesRead);
        Assert.Equal((count + 2) * 4096, characters);
        Assert.InRange(liveAtHalf, long.MinValue, 16_000_000);
    }

    [Theory]
    [MemberData(nameof(WithGzip))]
    public async Task LineOf100MBOverLoopback_FailsAsResponseTooLarge_AndReleasesTheConnection(YuHuanProtocol protocol, bool gzip)
    {
        UseProtocol(protocol);
        // Gzipped, 100 MB of filler is a few hundred kilobytes on the wire: a decompression bomb.
        await using var emulator = await YuHuanEmulator.StartAsync();
        var reply = new EmulatorReply().AddText("Before the flood.", chunkSize: 100).AddPadding(HugeBytes).AddText("never seen");
        emulator.Enqueue(gzip ? reply.WithGzip() : reply);
        var text = new StringBuilder();
        Exception? error = null;
        var probe = MemoryProbe.Start();
        using (var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = emulator.Endpoint, ApiKey = StreamHandler.ApiKey, ModelId = "m", Protocol = Wire.Protocol, MaxRetries = 2 }))
        {
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync("hi"))
                {
                    text.Append(update.Text);
                    probe.Sample();
                }
            }
            catch (Exception caught)
            {
                error = caught;
            }
        }

        await Eventually.HoldsAsync(() => emulator.OpenConnections == 0 && emulator.ActiveRequests == 0, () => $"{emulator.OpenConnections} connection(s) still open");
        var settled = probe.Settle() - probe.Baseline;
        probe.Dispose();
        output.WriteLine($"{Wire} over loopback{(gzip ? ", gzip" : string.Empty)}: the emulator produced {emulator.BodyBytesSent / 1e6:0.0} MB of {HugeBytes / 1e6:0} MB; heap peak +{probe.PeakGrowth / 1e6:0.0} MB, +{settled / 1e6:0.0} MB after; {error?.GetType().Name}: {error?.Message}");

        Assert.Equal("Before the flood.", text.ToString());
        var ex = Assert.IsType<YuHuanApiException>(error);
        Assert.Equal("response_too_large", ex.ErrorType);
        Assert.DoesNotContain(StreamHandler.ApiKey, ex.ToString(), StringComparison.Ordinal);
        Assert.Single(emulator.Requests);
        Assert.InRange(probe.PeakGrowth, long.MinValue, HugeBytes - 1);
        if (!gzip)
        {
            // Plain, the server can only write what the client reads (plus socket buffers): the client stopped early.
            Assert.InRange(emulator.BodyBytesSent, Limit, Limit + (24L << 20));
        }
    }

    private static byte[] Filler(byte value, int length)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    private static byte[] Concat(IEnumerable<byte[]> parts, params byte[] more) => [.. parts.SelectMany(p => p), .. more];

    /// <summary>Splits rendered events around the middle one of those holding <paramref name="run"/>: everything before, it, everything after.</summary>
    private static (byte[] Head, byte[] Unit, byte[] Tail) SplitAroundMiddleRun(IReadOnlyList<byte[]> events, string run)
    {
        var marker = Encoding.ASCII.GetBytes(run);
        // The smallest events holding the filler are its pieces; larger ones (a protocol's done events) repeat them whole.
        var holding = Enumerable.Range(0, events.Count).Where(i => events[i].AsSpan().IndexOf(marker) >= 0).ToList();
        var smallest = holding.Count == 0 ? 0 : holding.Min(i => events[i].Length);
        holding = [.. holding.Where(i => events[i].Length < smallest + 256)];
        Assert.True(holding.Count >= 3, $"expected at least three events holding the filler, found {holding.Count}");
        var middle = holding[holding.Count / 2];
        return (Concat(events.Take(middle)), events[middle], Concat(events.Skip(middle + 1)));
    }

    private async Task<(string Text, Exception? Error, MemoryProbe Probe)> ConsumeAsync(RepeatingStream body)
    {
        var text = new StringBuilder();
        Exception? error = null;
        var probe = MemoryProbe.Start();
        using (var client = new StreamHandler(body).CreateClient(Wire.Protocol))
        {
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync("hi"))
                {
                    text.Append(update.Text);
                    probe.Sample();
                }
            }
            catch (Exception ex)
            {
                error = ex;
            }
        }

        var settled = probe.Settle() - probe.Baseline;
        probe.Dispose();
        output.WriteLine($"{Wire}: read {body.BytesRead / 1e6:0.0} MB of {body.Length / 1e6:0.0} MB; heap peak +{probe.PeakGrowth / 1e6:0.0} MB, +{settled / 1e6:0.0} MB after; {error?.GetType().Name}: {error?.Message}");
        Assert.DoesNotContain(StreamHandler.ApiKey, error?.ToString() ?? string.Empty, StringComparison.Ordinal);
        return (text.ToString(), error, probe);
    }

    private static void AssertStoppedAtTheLimit(RepeatingStream body, MemoryProbe probe)
    {
        // The client gave up at its limit, not at the end of the body, and never held anything near the whole of it.
        Assert.InRange(body.BytesRead, Limit, Limit + (2L << 20));
        Assert.InRange(probe.PeakGrowth, long.MinValue, HugeBytes - 1);
    }
}
