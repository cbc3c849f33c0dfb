namespace YuHuan.Connector.Testing;

/// <summary>Splits scripted text into the pieces a stream delivers, never inside a surrogate pair.</summary>
internal static class TextChunker
{
    /// <summary>Splits <paramref name="text"/> into pieces of <paramref name="chunkSize"/> UTF-16 chars.</summary>
    /// <remarks>A piece that would end between the halves of a surrogate pair takes the low half too.
    /// An empty text yields one empty piece.</remarks>
    public static IReadOnlyList<string> ByChars(string text, int chunkSize)
    {
        if (text.Length == 0)
        {
            return [string.Empty];
        }

        var pieces = new List<string>((text.Length / chunkSize) + 1);
        var start = 0;
        while (start < text.Length)
        {
            var end = AvoidSplittingPair(text, Math.Min(start + chunkSize, text.Length));
            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }

    /// <summary>Splits <paramref name="text"/> into pieces of <paramref name="wordsPerPiece"/> words each;
    /// whitespace stays attached to the word before it.</summary>
    public static IReadOnlyList<string> ByWords(string text, int wordsPerPiece)
    {
        if (text.Length == 0)
        {
            return [string.Empty];
        }

        var pieces = new List<string>();
        var start = 0;
        var words = 0;
        var i = 0;
        while (i < text.Length)
        {
            // Skip one word, then the whitespace after it.
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            words++;
            if (words == wordsPerPiece || i == text.Length)
            {
                pieces.Add(text[start..i]);
                start = i;
                words = 0;
            }
        }

        return pieces;
    }

    /// <summary>Splits <paramref name="text"/> into <paramref name="count"/> roughly equal pieces, which may be
    /// empty when the text is shorter than <paramref name="count"/>.</summary>
    public static IReadOnlyList<string> IntoParts(string text, int count)
    {
        var pieces = new string[count];
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            var end = i == count - 1
                ? text.Length
                : Math.Max(start, AvoidSplittingPair(text, (int)((long)text.Length * (i + 1) / count)));
            pieces[i] = text[start..end];
            start = end;
        }

        return pieces;
    }

    private static int AvoidSplittingPair(string text, int end) =>
        end > 0 && end < text.Length && char.IsHighSurrogate(text[end - 1]) && char.IsLowSurrogate(text[end])
            ? end + 1
            : end;
}
