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
