using System.Diagnostics;

namespace YuHuan.Connector.Testing;

/// <summary>
/// The response body of one exchange being recorded: the pieces read so far with their times, until the exchange ends
/// (read to the end, cut, abandoned), when it is scrubbed and handed to the recording. Thread-safe; ends once.
/// </summary>
internal sealed class RecordedBody
{
    private readonly Lock _gate = new();
    private readonly CassetteRecording _recording;
    private readonly int _number;
    private readonly CassetteRequest _request;
    private readonly CassetteResponse _head;
    private readonly CassetteScrubber _scrubber;
    private readonly long _started;
    private readonly IReadOnlyList<string> _contentEncodings;
    private readonly List<CassetteChunk> _chunks = [];
    private long _received;
    private bool _ended;

    public RecordedBody(CassetteRecording recording, int number, CassetteRequest request, CassetteResponse head, CassetteScrubber scrubber, long started, IReadOnlyList<string> contentEncodings)
    {
        _contentEncodings = contentEncodings;
        _recording = recording;
        _number = number;
        _request = request;
        _head = head;
        _scrubber = scrubber;
        _started = started;
    }

    /// <summary>Keeps a piece of the body as it was read.</summary>
    public void Add(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                _chunks.Add(new CassetteChunk(Stopwatch.GetElapsedTime(_started), data.ToArray()));
                _received += data.Length;
            }
        }
    }

    /// <summary>Ends the exchange; later calls do nothing. A body abandoned after all its declared bytes is complete.</summary>
    public void End(CassetteOutcome outcome)
    {
        CassetteExchange exchange;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            if (outcome == CassetteOutcome.Abandoned && _head.ContentLength is { } length && _received == length)
            {
                outcome = CassetteOutcome.Complete;
            }

            // A compressed body is kept decoded (its declared length was the compressed one); one in an encoding other than
            // gzip, deflate and br, which the client could not read either, is kept as it came.
            var chunks = _chunks;
            var declared = _head.ContentLength;
            var received = _received;
            if (_contentEncodings.Count > 0)
            {
                chunks = ContentDecoding.Decode(_chunks, _contentEncodings) ?? _chunks;
                declared = null;
            }

            // A scrubbed secret changes the body's length; the declared length follows, so a replay declares what it sends.
            var scrubbed = _scrubber.Scrub(chunks);
            var grown = scrubbed.Sum(c => (long)c.Data.Length) - received;
            var response = new CassetteResponse(_head.HeadersAt, _head.StatusCode, _head.Headers, declared + grown);
            response.Chunks.AddRange(scrubbed);
            exchange = new CassetteExchange(_request, response, outcome, Stopwatch.GetElapsedTime(_started), failure: null);
        }

        _recording.Finish(_number, exchange);
    }
}
