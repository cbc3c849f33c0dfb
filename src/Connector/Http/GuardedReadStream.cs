using System.Diagnostics;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Http;

/// <summary>
/// A read-only view of a response body that fails clearly instead of hanging: each read must make progress within
/// the network timeout, and a connection lost mid-body or a body that cannot be decompressed becomes a
/// <see cref="YuHuanApiException"/>. Sizes are limited by whoever collects what is read: <see cref="SseEventReader"/>
/// (a line or an event of a stream) and <see cref="GatewayResponse.ReadAllAsync"/> (a whole body).
/// </summary>
internal sealed class GuardedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly CancellationTokenSource _timeout;
    private readonly TimeSpan _networkTimeout;
    private readonly CancellationToken _callerToken;
    private readonly ITimer? _watchdog;
    private long _readStartedAt;
    private bool _reachedEnd;

    public GuardedReadStream(Stream inner, CancellationTokenSource timeout, TimeSpan networkTimeout, CancellationToken callerToken)
    {
        _inner = inner;
        _timeout = timeout;
        _networkTimeout = networkTimeout;
        _callerToken = callerToken;
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
}
