namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// A read-only stream over fixed bytes that hands them out in reads of the given sizes, cycling through them
/// (one size of 1 trickles the bytes one per read; none hands out as much as each read asks for).
/// </summary>
internal sealed class ChunkedStream(byte[] data, params int[] chunkSizes) : ReadOnlyStream
{
    private int _position;
    private int _read;

    public override long Length => data.Length;

    public override int Read(Span<byte> buffer)
    {
        var chunk = chunkSizes.Length == 0 ? int.MaxValue : chunkSizes[_read++ % chunkSizes.Length];
        var n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
