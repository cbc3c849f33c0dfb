using System.Globalization;

namespace YuHuan.Connector.Http;

/// <summary>
/// A read-only view of a response body that fails clearly instead of hanging or exhausting memory:
/// each read must make progress within the network timeout, no line may exceed the size limit, and a
/// connection lost mid-body becomes a <see cref="YuHuanApiException"/>.
/// </summary>
internal sealed class GuardedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly CancellationTokenSource _timeout;
    private readonly TimeSpan _networkTimeout;
    private readonly CancellationToken _callerToken;
    private readonly int _maxLineBytes;
    private long _lineBytes;

    public GuardedReadStream(Stream inner, CancellationTokenSource timeout, TimeSpan networkTimeout, CancellationToken callerToken, int maxLineBytes)
    {
        _inner = inner;
        _timeout = timeout;
        _networkTimeout = networkTimeout;
        _callerToken = callerToken;
        _maxLineBytes = maxLineBytes;
    }

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
        var armed = _networkTimeout != Timeout.InfiniteTimeSpan;
        if (armed)
        {
            _timeout.CancelAfter(_networkTimeout);
        }

        try
        {
            read = await _inner.ReadAsync(buffer, _timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!_callerToken.IsCancellationRequested && _timeout.IsCancellationRequested)
        {
            throw TimedOut(_networkTimeout, ex);
        }
        catch (OperationCanceledException) when (_callerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(_callerToken);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            _callerToken.ThrowIfCancellationRequested();
            throw new YuHuanApiException("The connection to the gateway was lost before the response was complete: " + ex.Message, null, null, null, null, ex);
        }
        finally
        {
            if (armed && !_timeout.IsCancellationRequested)
            {
                _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }

        CheckLineLength(buffer.Span[..read]);
        return read;
    }

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

    internal static YuHuanApiException TimedOut(TimeSpan timeout, Exception? inner) =>
        new(
            $"The gateway sent nothing for {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (YuHuanChatClientOptions.NetworkTimeout).",
            null,
            "timeout",
            null,
            null,
            new TimeoutException("The network timeout elapsed.", inner));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CheckLineLength(ReadOnlySpan<byte> data)
    {
        var lastBreak = data.LastIndexOfAny((byte)'\n', (byte)'\r');
        _lineBytes = lastBreak < 0 ? _lineBytes + data.Length : data.Length - lastBreak - 1;
        if (_lineBytes > _maxLineBytes)
        {
            throw new YuHuanApiException($"A line of the gateway's response exceeded {_maxLineBytes} bytes; the response was abandoned.", null, "response_too_large", null);
        }
    }
}
