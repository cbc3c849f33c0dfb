namespace YuHuan.Connector.Responses;

/// <summary>
/// A 64-bit FNV-1a hash and the length of a text fed in pieces: the same text gives the same fingerprint however it was
/// split, so a terminal output item whose id changed is known again by the text the stream delivered for it.
/// </summary>
internal sealed class TextFingerprint
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>Gets the hash of the text fed so far.</summary>
    public ulong Hash { get; private set; } = Offset;

    /// <summary>Gets the number of characters fed so far.</summary>
    public long Length { get; private set; }

    /// <summary>Feeds the next piece of the text.</summary>
    public void Add(string? piece)
    {
        if (piece is null)
        {
            return;
        }

        var hash = Hash;
        foreach (var c in piece)
        {
            hash = (hash ^ c) * Prime;
        }

        Hash = hash;
        Length += piece.Length;
    }

    /// <summary>
    /// Feeds text given as UTF-8 (a JSON string's unescaped value): the same fingerprint as <see cref="Add(string?)"/> of
    /// the string it decodes to, without making that string.
    /// </summary>
    /// <returns><see langword="false"/>, nothing fed, when the bytes are not valid UTF-8.</returns>
    public bool TryAddUtf8Text(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[256];
        var hash = Hash;
        var length = Length;
        while (!utf8.IsEmpty)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                return false;
            }

            foreach (var c in chars[..written])
            {
                hash = (hash ^ c) * Prime;
            }

            length += written;
            utf8 = utf8[read..];
        }

        Hash = hash;
        Length = length;
        return true;
    }

    /// <summary>Feeds UTF-8 bytes (an item's JSON, for an item that has no text).</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        var hash = Hash;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        Hash = hash;
        Length += bytes.Length;
    }

    /// <summary>Gets a value indicating whether text was fed and <paramref name="other"/> holds the same text.</summary>
    public bool SameNonEmpty(TextFingerprint other) => Length > 0 && Length == other.Length && Hash == other.Hash;
}
