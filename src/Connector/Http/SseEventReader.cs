using System.Buffers;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Http;

/// <summary>
/// Frames a server-sent event stream over its UTF-8 bytes, as the HTML standard's "Interpreting an event stream"
/// says (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation), and hands each
/// event over as spans of its own buffer: no string and no copy per event.
/// </summary>
/// <remarks>
/// <para>
/// Use: call <see cref="TryReadEvent"/> until it returns <see langword="false"/>, then <see cref="FillAsync"/>, which
/// returns <see langword="false"/> at the end of the stream. <see cref="EventType"/> and <see cref="Data"/> stay valid
/// until the next call of either. An event the stream ends in the middle of (no blank line after it) is dropped:
/// "Once the end of the file is reached, any pending data must be discarded."
/// </para>
/// <para>
/// The bytes of the event being read are kept together in one pooled buffer, which grows for a long event up to the
/// limit: a line, or an event (everything since the last blank line, comments included), that reaches it without
/// its end fails as <see cref="YuHuanErrorTypes.ResponseTooLarge"/> instead of growing further.
/// </para>
/// </remarks>
internal sealed class SseEventReader : IDisposable
{
    private const byte LineFeed = (byte)'\n';
    private const byte CarriageReturn = (byte)'\r';
    private const int InitialBufferBytes = 16 * 1024;

    /// <summary>The largest buffer taken from the pool: a larger one, for a rare long event, is left to the collector.</summary>
    private const int MaxPooledBytes = 1024 * 1024;

    private readonly Stream _stream;
    private readonly int _maxEventBytes;
    private byte[] _buffer;
    private byte[] _type = [];

    /// <summary>The end of the bytes read into <see cref="_buffer"/>.</summary>
    private int _end;

    /// <summary>The first byte not yet framed.</summary>
    private int _position;

    /// <summary>Where a search for a line break resumes: the bytes of the current line before it hold none.</summary>
    private int _searchedTo;

    /// <summary>The first byte of the event being read: everything from here on is kept when the buffer is refilled.</summary>
    private int _eventStart;

    /// <summary>Where the event's data starts in the buffer, or -1 while it has no <c>data</c> field.</summary>
    private int _dataStart = -1;
    private int _dataLength;
    private int _typeLength;

    /// <summary>The event handed out last: its data in the buffer, its type in <see cref="_type"/>.</summary>
    private int _eventDataStart;
    private int _eventDataLength;
    private int _eventTypeLength;

    private bool _startRead;
    private bool _skipLineFeed;
    private bool _disposed;

    /// <summary>Initializes a reader of <paramref name="stream"/>.</summary>
    /// <param name="stream">The response body; the reader does not dispose it.</param>
    /// <param name="maxEventBytes">The size a line or an event may not reach.</param>
    public SseEventReader(Stream stream, int maxEventBytes)
    {
        _stream = stream;
        _maxEventBytes = maxEventBytes;
        _buffer = Allocate(Math.Min(InitialBufferBytes, maxEventBytes));
    }

    /// <summary>Gets the UTF-8 value of the last event's <c>event</c> field; empty when it had none.</summary>
    public ReadOnlySpan<byte> EventType => _type.AsSpan(0, _eventTypeLength);

    /// <summary>Gets the last event's data: the values of its <c>data</c> fields joined by <c>\n</c>.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(_eventDataStart, _eventDataLength);

    /// <summary>Gets how much of the buffer is used: all of it, or as much as the limit when the pool gave a larger one.</summary>
    private int Capacity => Math.Min(_buffer.Length, _maxEventBytes);

    /// <summary>Frames the next event from the bytes read so far.</summary>
    /// <returns><see langword="true"/> when an event was read (see <see cref="EventType"/> and <see cref="Data"/>); <see langword="false"/> when more bytes are needed.</returns>
    /// <exception cref="YuHuanApiException">A line or an event reached the size limit.</exception>
    public bool TryReadEvent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_startRead && !SkipByteOrderMark())
        {
            return false;
        }

        var buffer = _buffer;
        while (true)
        {
            var start = _position;
            if (_skipLineFeed)
            {
                // The last line ended in a CR that was the last byte read: an LF right after it belongs to the same break.
                if (start == _end)
                {
                    return false;
                }

                _skipLineFeed = false;
                if (buffer[start] == LineFeed)
                {
                    _position = ++start;
                }
            }

            if (start < _end && buffer[start] == LineFeed)
            {
                // The blank line after nearly every event, found without a search.
                _position = start + 1;
                if (Dispatch())
                {
                    return true;
                }

                continue;
            }

            // "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single
            // U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR) character."
            var from = Math.Max(start, _searchedTo);
            var found = buffer.AsSpan(from, _end - from).IndexOfAny(LineFeed, CarriageReturn);
            if (found < 0)
            {
                _searchedTo = _end;
                ThrowIfTooLarge(start);
                return false;
            }

            var lineEnd = from + found;
            var next = lineEnd + 1;
            if (buffer[lineEnd] == CarriageReturn)
            {
                if (next < _end)
                {
                    next += buffer[next] == LineFeed ? 1 : 0;
                }
                else
                {
                    _skipLineFeed = true;
                }
            }

            _position = next;
            if (lineEnd == start)
            {
                // "If the line is empty (a blank line): dispatch the event."
                if (Dispatch())
                {
                    return true;
                }

                continue;
            }

            ReadField(start, lineEnd - start);
        }
    }

    /// <summary>Reads more of the stream into the buffer, keeping the event being read.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="false"/> at the end of the stream.</returns>
    /// <exception cref="YuHuanApiException">The event being read fills the buffer at its largest, or the read failed.</exception>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MakeRoom();
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end, Capacity - _end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Release(_buffer);
            Release(_type);

            _buffer = [];
            _type = [];
            _eventDataStart = _eventDataLength = _eventTypeLength = 0;
        }
    }

    /// <summary>
    /// Skips a UTF-8 byte order mark at the start of the stream: "The UTF-8 decode algorithm strips one leading UTF-8
    /// Byte Order Mark (BOM), if any." Returns <see langword="false"/> while too few bytes were read to tell.
    /// </summary>
    private bool SkipByteOrderMark()
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var read = _buffer.AsSpan(_position, _end - _position);
        if (read.Length < bom.Length && bom.StartsWith(read))
        {
            return false;
        }

        _startRead = true;
        if (read.StartsWith(bom))
        {
            _position += bom.Length;
            _eventStart = _position;
        }

        return true;
    }

    /// <summary>Processes one line that is not blank: a field, or a comment.</summary>
    private void ReadField(int start, int length)
    {
        var line = _buffer.AsSpan(start, length);

        // "If the line starts with a U+003A COLON character (:): ignore the line." Otherwise the field's name is what comes
        // before the first colon (the whole line when it has none) and its value what comes after, without one leading space.
        // The two fields every stream is made of are recognized by their first bytes, without a search.
        var colon = line.StartsWith("data:"u8) ? 4 : line.StartsWith("event:"u8) ? 5 : line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var valueStart = colon < 0 ? start + length : start + colon + 1;
        if (valueStart < start + length && _buffer[valueStart] == (byte)' ')
        {
            valueStart++;
        }

        var valueLength = start + length - valueStart;
        switch (name.Length)
        {
            case 4 when name.SequenceEqual("data"u8):
                AppendData(valueStart, valueLength);
                break;
            case 5 when name.SequenceEqual("event"u8):
                // "Set the event type buffer to the field value." Kept apart, so joining data lines cannot overwrite it.
                if (_type.Length < valueLength)
                {
                    Release(_type);
                    _type = Allocate(Math.Max(valueLength, 64));
                }

                _buffer.AsSpan(valueStart, valueLength).CopyTo(_type);
                _typeLength = valueLength;
                break;
            default:
                // A comment (an empty name), "id" and "retry" (the client never reconnects by itself: a stream that
                // breaks is resumed, where its protocol can, by the protocol's own continuation), and unknown fields:
                // "Otherwise: the field is ignored."
                break;
        }
    }

    /// <summary>
    /// "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF) character to the data
    /// buffer" (the last LF is removed at dispatch). The first value stays where it is; a later one is moved up to
    /// follow it, in place: it always starts after the previous one ended plus at least a line break and <c>data:</c>.
    /// </summary>
    private void AppendData(int valueStart, int valueLength)
    {
        if (_dataStart < 0)
        {
            _dataStart = valueStart;
            _dataLength = valueLength;
            return;
        }

        var end = _dataStart + _dataLength;
        _buffer[end] = LineFeed;
        _buffer.AsSpan(valueStart, valueLength).CopyTo(_buffer.AsSpan(end + 1));
        _dataLength += 1 + valueLength;
    }

    /// <summary>Ends the event at a blank line; returns whether it had data (an event without any is not dispatched).</summary>
    private bool Dispatch()
    {
        // "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty string and
        // return." A data field with an empty value still makes the data buffer non-empty (it holds the LF).
        var dispatched = _dataStart >= 0;
        if (dispatched)
        {
            _eventDataStart = _dataStart;
            _eventDataLength = _dataLength;
            _eventTypeLength = _typeLength;
        }

        _dataStart = -1;
        _dataLength = 0;
        _typeLength = 0;
        _eventStart = _position;
        return dispatched;
    }

    /// <summary>
    /// Fails when what is kept of the event being read reaches the limit: never more than the limit is read into the
    /// buffer. The error names the line being read when it holds most of those bytes (one huge line, perhaps after an
    /// <c>event</c> line), the event otherwise (many lines without a blank one).
    /// </summary>
    private void ThrowIfTooLarge(int lineStart)
    {
        var kept = _end - _eventStart;
        if (kept >= _maxEventBytes)
        {
            throw ClientErrors.TooLarge(2L * (_end - lineStart) > kept ? "A line of the gateway's response (bytes)" : "An event of the gateway's response (bytes)", _maxEventBytes);
        }
    }

    /// <summary>Makes room for a read: moves the event being read to the start of the buffer, or grows the buffer when it fills it.</summary>
    private void MakeRoom()
    {
        if (_eventStart > 0)
        {
            var shift = _eventStart;
            _buffer.AsSpan(shift, _end - shift).CopyTo(_buffer);
            _end -= shift;
            _position -= shift;
            _searchedTo = Math.Max(0, _searchedTo - shift);
            _eventStart = 0;
            if (_dataStart >= 0)
            {
                _dataStart -= shift;
            }
        }

        if (_end < Capacity)
        {
            return;
        }

        // A full buffer holds nothing but the event being read; at the limit it cannot grow, and that event has reached
        // the limit (TryReadEvent has failed on it already, unless called out of turn).
        ThrowIfTooLarge(_position);

        var larger = Allocate((int)Math.Min(2L * _buffer.Length, _maxEventBytes));
        _buffer.AsSpan(0, _end).CopyTo(larger);
        Release(_buffer);
        _buffer = larger;
    }

    private static byte[] Allocate(int length) =>
        length <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    private static void Release(byte[] buffer)
    {
        // Pooled arrays are never longer than MaxPooledBytes (the pool rounds up to a power of two, at most that).
        if (buffer.Length is > 0 and <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
