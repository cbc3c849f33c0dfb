namespace YuHuan.Connector.Benchmarks.Fixtures;

/// <summary>Deterministic token-sized pieces of text, with the escapes and non-ASCII text real streams carry.</summary>
internal static class TextPieces
{
    private static readonly string[] Words =
    [
        " the", " light", "house", " keeper", " named", " Mei", " found", " a", " paper", " boat", " on", " her",
        " door", "step", ".", " Inside", " it", ",", " someone", " had", " written", ":", " please", " keep",
        " lamp", " burning", " until", " dawn", " and", " sky", " turned", " pearl", " grey",
    ];

    /// <summary>Creates <paramref name="count"/> pieces of one to eleven characters.</summary>
    /// <remarks>Every 97th piece is a line break, every 131st holds quotes (escaped on the wire), every 173rd
    /// is Chinese text (3 bytes per char in UTF-8) and every 251st an emoji (a surrogate pair).</remarks>
    public static string[] Create(int count)
    {
        var pieces = new string[count];
        for (var i = 0; i < count; i++)
        {
            pieces[i] = (i + 1) switch
            {
                var n when n % 251 == 0 => " 🌊",
                var n when n % 173 == 0 => "灯塔",
                var n when n % 131 == 0 => " \"keep\"",
                var n when n % 97 == 0 => "\n\n",
                _ => Words[(i * 7) % Words.Length],
            };
        }

        return pieces;
    }

    /// <summary>Splits <paramref name="text"/> into <paramref name="parts"/> nearly equal pieces, never inside a surrogate pair.</summary>
    public static string[] Split(string text, int parts)
    {
        var pieces = new string[parts];
        var start = 0;
        for (var i = 0; i < parts; i++)
        {
            var end = (int)((long)text.Length * (i + 1) / parts);
            if (end < text.Length && end > 0 && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }

            end = Math.Max(end, start);
            pieces[i] = text[start..end];
            start = end;
        }

        return pieces;
    }
}
