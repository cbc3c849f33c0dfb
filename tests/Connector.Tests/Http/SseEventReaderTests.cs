using System.Net.ServerSentEvents;
using System.Text;
using YuHuan.Connector.Http;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Http;

/// <summary>
/// The SSE framer: the events of a stream do not depend on how its bytes are split into reads, nor on its line endings;
/// every field kind of the standard is read as the standard says; a line or event that reaches the limit fails clearly.
/// Events are compared as (type, data) byte strings shown as Latin-1, so invalid UTF-8 compares too.
/// </summary>
public sealed class SseEventReaderTests
{
    private const int NoLimit = 64 * 1024 * 1024;

    public static TheoryData<string, int> Deliveries => Sse.Deliveries;

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RecordedStream_SplitAtEveryByteOffset_GivesTheSameEventsAsSseParser(YuHuanProtocol protocol)
    {
        var body = Recorded(protocol);
        var expected = WithSseParser(body);
        Assert.True(expected.Count > 10, $"the recorded {protocol} stream has only {expected.Count} events");

        Assert.Equal(expected, await ReadAsync(body));
        Assert.Equal(expected, await ReadAsync(body, 1));
        for (var offset = 1; offset < body.Length; offset++)
        {
            var events = await ReadAsync(new SplitStream(body, offset));
            Assert.True(expected.SequenceEqual(events), $"{protocol}: split at byte {offset} of {body.Length} gave {events.Count} events, not the {expected.Count} expected");
        }
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RecordedStream_WithEachLineEnding_GivesTheSameEvents(YuHuanProtocol protocol)
    {
        var body = Recorded(protocol);
        var expected = WithSseParser(body);
        foreach (var ending in new[] { "\r\n", "\r" })
        {
            var rewritten = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(body).Replace("\n", ending, StringComparison.Ordinal));
            Assert.Equal(expected, await ReadAsync(rewritten));
            Assert.Equal(expected, await ReadAsync(rewritten, 1));
            Assert.Equal(expected, await ReadAsync(rewritten, 7, 3, 1, 250));
        }
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task EveryFieldKind_IsReadAsTheStandardSays(string lineEnding, int chunkSize)
    {
        string[] lines =
        [
            ": a comment", "data: one", string.Empty,
            "event: custom", "data: two", "data:  three", "data:four", string.Empty,
            "id: 7", "retry: 1000", "data", string.Empty,
            "data:", "data:", string.Empty,
            "unknown: field", "nocolon", ":", "data: five", "id", "retry: x", string.Empty,
            "event: message", "data: {\"a\":1}", string.Empty,
            "data: \u00E9\u4E2D\U0001F600", string.Empty,
        ];
        var body = Encoding.UTF8.GetBytes(string.Join(lineEnding, lines) + lineEnding);

        var events = await ReadAsync(body, chunkSize);

        Assert.Equal(
            [
                Event(string.Empty, "one"),
                Event("custom", "two\n three\nfour"),
                Event(string.Empty, string.Empty),
                Event(string.Empty, "\n"),
                Event(string.Empty, "five"),
                Event("message", "{\"a\":1}"),
                Event(string.Empty, "\u00E9\u4E2D\U0001F600"),
            ],
            events);
    }

    [Fact]
    public async Task CarriageReturnEndingARead_AndLineFeedStartingTheNext_AreOneLineBreak()
    {
        // Read as two breaks, the CR would end the line and the LF would be a blank line dispatching "a" alone.
        var body = "data: a\r\ndata: b\r\n\r\n"u8.ToArray();
        var afterFirstCarriageReturn = "data: a\r".Length;

        Assert.Equal([Event(string.Empty, "a\nb")], await ReadAsync(new SplitStream(body, afterFirstCarriageReturn)));
        Assert.Equal([Event(string.Empty, "a\nb")], await ReadAsync(body, afterFirstCarriageReturn, 1, 100));
    }

    [Fact]
    public async Task CarriageReturnAtTheEndOfTheStream_EndsTheLine()
    {
        Assert.Equal([Event(string.Empty, "a")], await ReadAsync("data: a\r\r"u8.ToArray(), 1));
        Assert.Equal([Event(string.Empty, "a")], await ReadAsync("data: a\r\r"u8.ToArray()));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ByteOrderMark_AtTheStart_IsSkipped(int chunkSize)
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. "data: x\n\n"u8];

        Assert.Equal([Event(string.Empty, "x")], await ReadAsync(body, chunkSize));
    }

    [Fact]
    public async Task ByteOrderMark_AnywhereElse_IsPartOfTheFieldName()
    {
        byte[] body = [.. "data: x\n\n"u8, 0xEF, 0xBB, 0xBF, .. "data: y\n\ndata: z\n\n"u8];

        Assert.Equal([Event(string.Empty, "x"), Event(string.Empty, "z")], await ReadAsync(body, 1));
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xEF, 0xBB })]
    [InlineData(new byte[] { 0xEF })]
    public async Task StreamOfOnlyAByteOrderMarkOrPartOfOne_HasNoEvents(byte[] body)
    {
        Assert.Empty(await ReadAsync(body, 1));
        Assert.Empty(await ReadAsync(body));
    }

    [Fact]
    public async Task EmptyStream_HasNoEvents()
    {
        using var reader = new SseEventReader(new ChunkedStream([]), NoLimit);

        Assert.False(reader.TryReadEvent());
        Assert.False(await reader.FillAsync(CancellationToken.None));
        Assert.False(reader.TryReadEvent());
    }

    [Theory]
    [InlineData("data: a\n\ndata: b\n")]
    [InlineData("data: a\n\ndata: b")]
    [InlineData("data: a\n\nevent: x\ndata: b\r")]
    public async Task EventTheStreamEndsIn_IsDropped(string body)
    {
        Assert.Equal([Event(string.Empty, "a")], await ReadAsync(Encoding.UTF8.GetBytes(body), 1));
    }

    [Fact]
    public async Task EventWithoutData_IsNotDispatched_AndItsTypeDoesNotCarryOver()
    {
        // "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty string and
        // return." (SseParser keeps the type here; the standard does not.)
        var events = await ReadAsync("event: ping\n\ndata: x\n\nevent: a\nid: 1\n\n\n\nevent: b\ndata: y\n\n"u8.ToArray());

        Assert.Equal([Event(string.Empty, "x"), Event("b", "y")], events);
    }

    [Fact]
    public async Task EventTypeAfterData_AndDataAfterOtherFields_AreKept()
    {
        // The data lines are joined in the buffer; the type is kept apart so the joining cannot overwrite it.
        var events = await ReadAsync("data: first\nevent: late\nid: 1\ndata: second\n: comment\ndata: third\n\n"u8.ToArray(), 3);

        Assert.Equal([Event("late", "first\nsecond\nthird")], events);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(65_536)]
    public async Task HugeEvents_AreReadWhole(int chunkSize)
    {
        // Larger than the pooled buffers: one data line of 5 MB, then one event of 3 MB in many data lines.
        var line = new string('x', 5_000_000);
        var pieces = Enumerable.Range(0, 3_000).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + new string('y', 996)).ToList();
        var body = Encoding.ASCII.GetBytes("event: big\ndata: " + line + "\n\n" + string.Concat(pieces.Select(p => "data: " + p + "\n")) + "\ndata: after\n\n");

        var events = await ReadAsync(body, chunkSize);

        Assert.Equal([Event("big", line), Event(string.Empty, string.Join('\n', pieces)), Event(string.Empty, "after")], events);
    }

    [Fact]
    public async Task LongLineInSmallReads_IsSearchedOnce()
    {
        // A line built from many reads is searched for its end only in the new bytes of each read, not from its start
        // again: 8 MB in 64-byte reads would otherwise scan about 500 GB, minutes of work.
        var line = new string('z', 8_000_000);
        var body = Encoding.ASCII.GetBytes("data: " + line + "\n\n");
        var started = System.Diagnostics.Stopwatch.StartNew();

        var events = await ReadAsync(body, 64);

        Assert.Equal([Event(string.Empty, line)], events);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(5)]
    public async Task LineReachingTheLimit_FailsAsResponseTooLarge_NamingTheLine(int chunkSize)
    {
        var body = Encoding.ASCII.GetBytes("data: ok\n\nevent: e\ndata: " + new string('x', 200) + "\n\n");

        var (events, error) = await ReadUntilErrorAsync(body, 64, chunkSize);

        Assert.Equal([Event(string.Empty, "ok")], events);
        Assert.Equal("response_too_large", error.ErrorType);
        Assert.Contains("A line", error.Message, StringComparison.Ordinal);
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(5)]
    public async Task EventOfShortLinesReachingTheLimit_FailsAsResponseTooLarge_NamingTheEvent(int chunkSize)
    {
        var body = Encoding.ASCII.GetBytes("data: ok\n\n" + string.Concat(Enumerable.Repeat("data: 0123456789\n", 10)) + "\n");

        var (events, error) = await ReadUntilErrorAsync(body, 64, chunkSize);

        Assert.Equal([Event(string.Empty, "ok")], events);
        Assert.Equal("response_too_large", error.ErrorType);
        Assert.Contains("An event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommentsWithoutABlankLine_CountTowardsTheEvent()
    {
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(": keep-alive\n", 10)) + "\n");

        var (_, error) = await ReadUntilErrorAsync(body, 64, int.MaxValue);

        Assert.Equal("response_too_large", error.ErrorType);
    }

    [Fact]
    public async Task EventOfExactlyTheLimit_IsRead_OneByteMoreFails()
    {
        // The limit is what the buffer may hold of one event: its lines, their breaks and the blank line after them.
        var fits = "data: " + new string('x', 64 - "data: \n\n".Length) + "\n\n";
        Assert.Equal(64, fits.Length);

        Assert.Equal([Event(string.Empty, new string('x', 56)), Event(string.Empty, "b")], await ReadLimitedAsync(Encoding.ASCII.GetBytes(fits + "data: b\n\n"), 64, 64));
        var (_, error) = await ReadUntilErrorAsync(Encoding.ASCII.GetBytes("data: x" + fits), 64, int.MaxValue);
        Assert.Equal("response_too_large", error.ErrorType);
    }

    [Fact]
    public async Task ManySmallEvents_KeepTheBufferSmall()
    {
        // Only the event being read is kept: a stream far longer than the limit passes when each of its events is short.
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1_000).Select(i => $"data: {i}\n\n")));

        var events = await ReadLimitedAsync(body, 64, maxEventBytes: 32);

        Assert.Equal(1_000, events.Count);
        Assert.Equal(Event(string.Empty, "999"), events[^1]);
    }

    [Fact]
    public async Task FillAsync_PassesTheCancellationToTheStream()
    {
        using var reader = new SseEventReader(new ChunkedStream("data: x\n\n"u8.ToArray()), NoLimit);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.FillAsync(cancelled.Token));
    }

    [Fact]
    public async Task AfterDispose_TheReaderRefusesToRead()
    {
        var reader = new SseEventReader(new ChunkedStream("data: x\n\n"u8.ToArray()), NoLimit);
        Assert.True(await reader.FillAsync(CancellationToken.None));
        Assert.True(reader.TryReadEvent());

        reader.Dispose();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.TryReadEvent());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.FillAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RandomStreams_InRandomReads_MatchTheStandardsAlgorithm()
    {
        // Lines of every kind, every line ending, bytes that are not UTF-8, BOMs in odd places, cut anywhere; each
        // compared with a literal transcription of the standard's algorithm (ReferenceEvents below).
        string[] pieces =
        [
            "data: {\"a\":1}", "data:", "data", "data:  two spaces", "event: e", "event:", "event", "id: 1", "id", "retry: 5",
            ": comment", ":", "nocolon", "field: value", "data: \u00E9\u4E2D", "\uFEFFdata: bom", "data: a:b", string.Empty, string.Empty,
        ];
        string[] endings = ["\n", "\r", "\r\n"];
        var random = new Random(20_260_101);
        for (var run = 0; run < 3_000; run++)
        {
            var builder = new List<byte>();
            if (random.Next(8) == 0)
            {
                builder.AddRange([0xEF, 0xBB, 0xBF]);
            }

            for (var line = random.Next(0, 24); line > 0; line--)
            {
                builder.AddRange(random.Next(40) == 0 ? [0xFF, 0xC3] : Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)]));
                builder.AddRange(Encoding.ASCII.GetBytes(endings[random.Next(endings.Length)]));
            }

            var body = builder.ToArray();
            if (random.Next(4) == 0 && body.Length > 0)
            {
                body = body[..random.Next(body.Length)];
            }

            var chunks = Enumerable.Range(0, 4).Select(_ => random.Next(1, 12)).ToArray();
            var expected = ReferenceEvents(body);
            var actual = await ReadAsync(body, chunks);
            Assert.True(expected.SequenceEqual(actual), $"run {run}: {Show(body)} in reads of [{string.Join(", ", chunks)}]: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }
    }

    private static (string Type, string Data) Event(string type, string data) =>
        (Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(type)), Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(data)));

    private static string Show(byte[] body) => Encoding.Latin1.GetString(body).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static byte[] Recorded(YuHuanProtocol protocol)
    {
        var wire = TestProtocols.Kit(protocol);
        var reply = new EmulatorReply()
            .AddReasoning("Thinking about \"quotes\" and \u4E2D\u6587.", chunkSize: 7)
            .AddText("Hello, \U0001F600 world: caf\u00E9.\nNew line.", chunkSize: 5)
            .AddToolCall("call_1", "get_weather", """{"city":"Paris","unit":"c"}""", fragments: 3);
        return wire.RenderBody(reply);
    }

    private static List<(string Type, string Data)> WithSseParser(byte[] body) =>
        [.. SseParser.Create(new MemoryStream(body), (type, data) => Encoding.Latin1.GetString(data)).Enumerate()
            .Select(item => (item.EventType == SseParser.EventTypeDefault ? string.Empty : Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(item.EventType)), item.Data))];

    private static Task<List<(string Type, string Data)>> ReadAsync(byte[] body, params int[] chunkSizes) =>
        ReadAsync(new ChunkedStream(body, chunkSizes));

    private static Task<List<(string Type, string Data)>> ReadLimitedAsync(byte[] body, int chunkSize, int maxEventBytes) =>
        ReadAsync(new ChunkedStream(body, chunkSize), maxEventBytes);

    private static async Task<List<(string Type, string Data)>> ReadAsync(Stream stream, int maxEventBytes = NoLimit)
    {
        var events = new List<(string, string)>();
        using var reader = new SseEventReader(stream, maxEventBytes);
        while (true)
        {
            while (reader.TryReadEvent())
            {
                events.Add((Encoding.Latin1.GetString(reader.EventType), Encoding.Latin1.GetString(reader.Data)));
            }

            if (!await reader.FillAsync(CancellationToken.None))
            {
                Assert.False(reader.TryReadEvent());
                return events;
            }
        }
    }

    private static async Task<(List<(string Type, string Data)> Events, YuHuanApiException Error)> ReadUntilErrorAsync(byte[] body, int maxEventBytes, int chunkSize)
    {
        var events = new List<(string, string)>();
        var error = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            using var reader = new SseEventReader(new ChunkedStream(body, chunkSize), maxEventBytes);
            while (true)
            {
                while (reader.TryReadEvent())
                {
                    events.Add((Encoding.Latin1.GetString(reader.EventType), Encoding.Latin1.GetString(reader.Data)));
                }

                if (!await reader.FillAsync(CancellationToken.None))
                {
                    return;
                }
            }
        });
        return (events, error);
    }

    /// <summary>The standard's "Interpreting an event stream", step by step, over the whole body at once.</summary>
    private static List<(string Type, string Data)> ReferenceEvents(byte[] body)
    {
        var text = Encoding.Latin1.GetString(body);
        if (text.StartsWith("\u00EF\u00BB\u00BF", StringComparison.Ordinal))
        {
            text = text[3..];
        }

        var events = new List<(string, string)>();
        var data = new StringBuilder();
        var type = string.Empty;
        var position = 0;
        while (true)
        {
            // Only complete lines: "Once the end of the file is reached, any pending data must be discarded."
            var end = text.IndexOfAny(['\r', '\n'], position);
            if (end < 0)
            {
                return events;
            }

            var line = text[position..end];
            position = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    events.Add((type, data.ToString(0, data.Length - 1)));
                }

                data.Clear();
                type = string.Empty;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            value = value.StartsWith(' ') ? value[1..] : value;
            if (name == "data")
            {
                data.Append(value).Append('\n');
            }
            else if (name == "event")
            {
                type = value;
            }
        }
    }

    /// <summary>Hands out its bytes in two reads, split at <paramref name="offset"/>.</summary>
    private sealed class SplitStream(byte[] data, int offset) : ReadOnlyStream
    {
        private int _position;

        public override long Length => data.Length;

        public override int Read(Span<byte> buffer)
        {
            var end = _position < offset ? offset : data.Length;
            var n = Math.Min(buffer.Length, end - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
