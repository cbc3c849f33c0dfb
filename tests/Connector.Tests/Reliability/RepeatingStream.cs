namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// A read-only stream of <c>head</c>, then <c>unit</c> repeated <c>count</c> times, then <c>tail</c>, produced as it is read:
/// a body of hundreds of megabytes that never exists in memory.
/// </summary>
internal sealed class RepeatingStream(byte[] head, byte[] unit, long count, byte[] tail) : TestSupport.ReadOnlyStream
{
    private long _position;

    public override long Length => head.Length + (unit.Length * count) + tail.Length;

    /// <summary>Gets the number of bytes handed out so far.</summary>
    public long BytesRead => _position;

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < Length)
        {
            byte[] source;
            long offset;
            var bodyEnd = head.Length + (unit.Length * count);
            if (_position < head.Length)
            {
                (source, offset) = (head, _position);
            }
            else if (_position < bodyEnd)
            {
                (source, offset) = (unit, (_position - head.Length) % unit.Length);
            }
            else
            {
                (source, offset) = (tail, _position - bodyEnd);
            }

            var n = (int)Math.Min(buffer.Length - written, source.Length - offset);
            source.AsSpan((int)offset, n).CopyTo(buffer[written..]);
            written += n;
            _position += n;
        }

        return written;
    }
}
