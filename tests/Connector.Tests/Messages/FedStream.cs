using System.Text;
using System.Threading.Channels;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// A response body the test feeds piece by piece. <see cref="Starved"/> completes when a read finds nothing left to hand
/// out, which tells the test, without timing, that everything fed so far was consumed and mapped.
/// </summary>
internal sealed class FedStream : ReadOnlyStream
{
    private readonly Channel<byte[]> _pieces = Channel.CreateUnbounded<byte[]>();
    private readonly Lock _gate = new();
    private TaskCompletionSource _starved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _current = [];
    private int _offset;

    /// <summary>Gets a task that completes once a read waits for more than was fed; a new one after each <see cref="Feed"/>.</summary>
    public Task Starved
    {
        get
        {
            lock (_gate)
            {
                return _starved.Task;
            }
        }
    }

    public override long Length => throw new NotSupportedException();

    /// <summary>Hands <paramref name="text"/> to the reader.</summary>
    public void Feed(string text)
    {
        lock (_gate)
        {
            if (_starved.Task.IsCompleted)
            {
                _starved = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Assert.True(_pieces.Writer.TryWrite(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Ends the body.</summary>
    public void Complete() => _pieces.Writer.Complete();

    public override int Read(Span<byte> buffer) => throw new NotSupportedException("Only asynchronous reads are expected.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _current.Length)
        {
            if (_pieces.Reader.TryRead(out var next))
            {
                (_current, _offset) = (next, 0);
                continue;
            }

            lock (_gate)
            {
                _starved.TrySetResult();
            }

            if (!await _pieces.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }
        }

        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }
}
