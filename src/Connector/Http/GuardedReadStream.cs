using System.Diagnostics;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Http;

/// <summary>
/// A read-only view of a response body that fails clearly instead of hanging or exhausting memory:
/// each read must make progress within the network timeout, no line and no event (the lines up to a blank
/// line, which an SSE parser collects before it hands them over) may reach the size limit, and a connection
/// lost mid-body or a body that cannot be decompressed becomes a <see cref="YuHuanApiException"/>.
/// </summary>
internal sealed class GuardedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly CancellationTokenSource _timeout;
    private readonly TimeSpan _networkTimeout;
    private readonly CancellationToken _callerToken;
    private readonly int _maxLineBytes;
    private readonly ITimer? _watchdog;
    private long _readStartedAt;
    private long _lineBytes;
    private long _eventBytes;
    private bool _afterLineBreak;
    private bool _afterCarriageReturn;
    private bool _reachedEnd;

    public GuardedReadStream(Stream inner, CancellationTokenSource timeout, TimeSpan networkTimeout, CancellationToken callerToken, int maxLineBytes)
    {
        _inner = inner;
        _timeout = timeout;
        _networkTimeout = networkTimeout;
        _callerToken = callerToken;
        _maxLineBytes = maxLineBytes;
        if (networkTimeout != Timeout.InfiniteTimeSpan)
        {
            // One watchdog per body instead of re-arming a timer on every read (a stream makes hundreds of reads):
            // it fires a few times per timeout and cancels a read that has been pending for longer than the timeout.
            var period = networkTimeout / 4 > TimeSpan.FromMilliseconds(1) ? networkTimeout / 4 : TimeSpan.FromMilliseconds(1);
            _watchdog = TimeProvider.System.CreateTimer(static state => ((GuardedReadStream)state!).CancelStalledRead(), this, period, period);
        }
    }

    /// <summary>Gets a value indicating whether a read returned the end of the body.</summary>
    public bool ReachedEnd => _reachedEnd;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        Volatile.Write(ref _readStartedAt, Stopwatch.GetTimestamp());
        try
        {
            read = await _inner.ReadAsync(buffer, _timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!_callerToken.IsCancellationRequested && _timeout.IsCancellationRequested)
        {
            throw ClientErrors.TimedOut(_networkTimeout, ex);
        }
        catch (OperationCanceledException) when (_callerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(_callerToken);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            _callerToken.ThrowIfCancellationRequested();
            throw ClientErrors.ConnectionLost(ex);
        }
        catch (InvalidDataException ex)
        {
            // A body whose Content-Encoding (gzip, deflate, br) does not match its bytes; not an IOException.
            throw ClientErrors.Undecodable(ex);
        }
        catch (Exception ex) when (ex is not YuHuanApiException && !_callerToken.IsCancellationRequested)
        {
            // Whatever else the HTTP pipeline throws under the body: a handler's own exception, a cancellation not ours.
            throw ClientErrors.PipelineFailed(ex);
        }
        finally
        {
            Volatile.Write(ref _readStartedAt, 0);
        }

        if (read == 0 && !buffer.IsEmpty)
        {
            _reachedEnd = true;
        }

        CheckSizes(buffer.Span[..read]);
        return read;
    }

    /// <summary>
    /// Gives up on the rest of a body that was not read to its end: its connection is closed rather than drained (see
    /// <see cref="UnreadBody"/>). Call before disposing; does nothing when the end was read.
    /// </summary>
    public ValueTask AbandonAsync() => _reachedEnd ? ValueTask.CompletedTask : UnreadBody.AbortAsync(_inner);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watchdog?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CancelStalledRead()
    {
        var started = Volatile.Read(ref _readStartedAt);
        if (started != 0 && Stopwatch.GetElapsedTime(started) >= _networkTimeout)
        {
            try
            {
                _timeout.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The response was disposed between the check and the cancellation: nothing is pending any more.
            }
        }
    }

    /// <summary>
    /// Tracks the length of the current line and of the current event (everything since the last blank line;
    /// CR, LF and CRLF each end a line, split across reads or not) and fails when either reaches the limit.
    /// </summary>
    private void CheckSizes(ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty && !_afterCarriageReturn && !data.Contains((byte)'\r'))
        {
            CheckSizesLineFeedsOnly(data);
            return;
        }

        while (!data.IsEmpty)
        {
            var i = data.IndexOfAny((byte)'\n', (byte)'\r');
            var run = i < 0 ? data.Length : i;
            if (run > 0)
            {
                _lineBytes += run;
                _eventBytes += run;
                _afterLineBreak = false;
                _afterCarriageReturn = false;
                ThrowIfTooLarge();
            }

            if (i < 0)
            {
                return;
            }

            if (data[i] == (byte)'\n' && _afterCarriageReturn)
            {
                // The LF of a CRLF: the line already ended at the CR.
                _afterCarriageReturn = false;
            }
            else
            {
                // "If the line is empty (a blank line): dispatch the event": what was collected is handed over.
                _eventBytes = _afterLineBreak ? 0 : _eventBytes + 1;
                _lineBytes = 0;
                _afterLineBreak = true;
                _afterCarriageReturn = data[i] == (byte)'\r';
            }

            data = data[(i + 1)..];
        }
    }

    /// <summary>
    /// The same accounting for the common case of a read with no CR at all, in a few vectorized searches rather than
    /// one step per line: the event restarts after the last blank line (<c>\n\n</c>, or a <c>\n</c> right after the
    /// previous read ended a line), the line after the last <c>\n</c>.
    /// </summary>
    private void CheckSizesLineFeedsOnly(ReadOnlySpan<byte> data)
    {
        var lastLineFeed = data.LastIndexOf((byte)'\n');
        if (lastLineFeed < 0)
        {
            _lineBytes += data.Length;
            _eventBytes += data.Length;
            _afterLineBreak = false;
            ThrowIfTooLarge();
            return;
        }

        var blank = data.LastIndexOf("\n\n"u8);
        var eventStart = blank >= 0 ? blank + 2 : (_afterLineBreak && data[0] == (byte)'\n' ? 1 : -1);
        _eventBytes = eventStart >= 0 ? data.Length - eventStart : _eventBytes + data.Length;
        _lineBytes = data.Length - lastLineFeed - 1;
        _afterLineBreak = lastLineFeed == data.Length - 1;
        ThrowIfTooLarge();
    }

    private void ThrowIfTooLarge()
    {
        // Fail on reaching the limit, not on passing it: an SSE parser whose buffer is full without a line break
        // doubles it, and a line of exactly the limit would make it take twice the limit before the next read.
        if (_lineBytes >= _maxLineBytes)
        {
            throw ClientErrors.TooLarge("A line of the gateway's response (bytes)", _maxLineBytes);
        }

        if (_eventBytes >= _maxLineBytes)
        {
            throw ClientErrors.TooLarge("An event of the gateway's response (bytes)", _maxLineBytes);
        }
    }
}
