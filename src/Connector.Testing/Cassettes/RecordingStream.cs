namespace YuHuan.Connector.Testing;

/// <summary>
/// A response body read through the recorder: each read is passed on as it is and kept in the <see cref="RecordedBody"/>;
/// the end of the body, a broken connection, a cancelled read or disposal ends the recorded exchange.
/// </summary>
internal sealed class RecordingStream : Stream
{
    private readonly Stream _inner;
    private readonly RecordedBody _body;

    public RecordingStream(Stream inner, RecordedBody body)
    {
        _inner = inner;
        _body = body;
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

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (Exception ex)
        {
            _body.End(Outcome(ex, CancellationToken.None));
            throw;
        }

        Keep(buffer[..read], buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _body.End(Outcome(ex, cancellationToken));
            throw;
        }

        Keep(buffer.Span[..read], buffer.Length);
        return read;
    }

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
            _inner.Dispose();
            _body.End(CassetteOutcome.Abandoned);
        }

        base.Dispose(disposing);
    }

    /// <summary>A read the caller cancelled abandons the body; any other failure is a connection that broke.</summary>
    public static CassetteOutcome Outcome(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? CassetteOutcome.Abandoned : CassetteOutcome.Cut;

    /// <summary>Keeps what a read returned; nothing returned for a non-empty buffer is the end of the body.</summary>
    private void Keep(ReadOnlySpan<byte> data, int requested)
    {
        if (data.IsEmpty && requested > 0)
        {
            _body.End(CassetteOutcome.Complete);
        }
        else if (!data.IsEmpty)
        {
            _body.Add(data);
        }
    }
}
