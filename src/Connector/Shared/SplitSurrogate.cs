namespace YuHuan.Connector.Shared;

/// <summary>
/// Joins a surrogate pair that a server split across two pieces of streamed text: a piece that ends with a high
/// surrogate gives it up to the next piece, so every piece handed out is valid text.
/// </summary>
internal struct SplitSurrogate
{
    private char? _held;

    /// <summary>Gets a value indicating whether half of a pair is waiting for the next piece.</summary>
    public readonly bool IsHolding => _held is not null;

    /// <summary>Returns the piece with any held half in front and a trailing high surrogate held back; <see langword="null"/> if nothing is left.</summary>
    public string? Join(string? piece)
    {
        if (piece is null)
        {
            return null;
        }

        if (_held is { } held)
        {
            piece = held + piece;
            _held = null;
        }

        if (piece.Length > 0 && char.IsHighSurrogate(piece[^1]))
        {
            _held = piece[^1];
            piece = piece[..^1];
        }

        return piece.Length == 0 ? null : piece;
    }

    /// <summary>Gives up a half that never found its pair, as U+FFFD.</summary>
    public string? Flush()
    {
        if (_held is null)
        {
            return null;
        }

        _held = null;
        return "\uFFFD";
    }
}
