using System.Globalization;

#if YUHUAN_CONNECTOR_TESTING
namespace YuHuan.Connector.Testing;
#else
namespace YuHuan.Connector.Shared;
#endif

/// <summary>
/// Finds a secret in text in every form a server or a body may quote it in: as it is (in either letter case of ASCII
/// letters), JSON-escaped (<c>\u0073</c>, <c>\/</c>), URL-encoded (<c>%73</c>) or as an HTML character reference
/// (<c>&amp;#115;</c>, <c>&amp;#x73;</c>), character by character, wherever it stands. Also compiled into
/// YuHuan.Connector.Testing, which scrubs cassettes with it.
/// </summary>
internal static class SecretForms
{
    /// <summary>What stands where a secret was.</summary>
    public const string Marker = "[redacted]";

    /// <summary>The fewest characters of a secret, running into a cut mark, that count as the secret.</summary>
    private const int MinCutKeyLength = 4;

    /// <summary>
    /// Matches the key at <paramref name="start"/>: returns the index after it, or after the part of it that runs into a
    /// <paramref name="cutMark"/> (at least <see cref="MinCutKeyLength"/> characters); <paramref name="start"/> when neither.
    /// </summary>
    public static int MatchAt(string text, int start, string secret, string? cutMark)
    {
        var end = MatchFrom(text, start, secret, 0, cutMark);
        return end < 0 ? start : end;
    }

    /// <summary>Matches <paramref name="secret"/> from its character <paramref name="k"/> on at <paramref name="position"/>; -1 when it does not match.</summary>
    private static int MatchFrom(string text, int position, string secret, int k, string? cutMark)
    {
        for (; k < secret.Length; k++)
        {
            if (cutMark is not null && text.AsSpan(position).StartsWith(cutMark, StringComparison.Ordinal))
            {
                return k >= Math.Min(MinCutKeyLength, secret.Length) ? position : -1;
            }

            if (position >= text.Length)
            {
                return -1;
            }

            // An escape sequence is read as the character it stands for; when that does not match, or the rest does
            // not, the sequence may still be the key's own characters (a key may hold '%', '\\' or '&').
            var length = ReadEncoded(text, position, out var decoded);
            if (length > 1 && SameLetter(decoded, secret[k]))
            {
                var end = MatchFrom(text, position + length, secret, k + 1, cutMark);
                if (end >= 0)
                {
                    return end;
                }
            }

            if (!SameLetter(text[position], secret[k]))
            {
                return cutMark is null ? -1 : CutInsideAnEscape(text, position, k, secret.Length, cutMark);
            }

            position++;
        }

        return position;
    }

    /// <summary>Where a key runs into a cut that fell inside an escape sequence (<c>%7</c>, <c>\u00</c>), the key part ends at the cut.</summary>
    private static int CutInsideAnEscape(string text, int position, int matched, int secretLength, string cutMark)
    {
        const int LongestEscape = 8;
        var window = text.AsSpan(position, Math.Min(text.Length - position, LongestEscape + cutMark.Length));
        var mark = window.IndexOf(cutMark, StringComparison.Ordinal);
        return mark is >= 0 and < LongestEscape && text[position] is '\\' or '%' or '&' && matched >= Math.Min(MinCutKeyLength, secretLength)
            ? position + mark
            : -1;
    }

    /// <summary>Reads the escape sequence at <paramref name="index"/> (JSON, URL or HTML), returning its length, or 0 when there is none.</summary>
    private static int ReadEncoded(string text, int index, out char character)
    {
        character = '\0';
        var rest = text.AsSpan(index);
        switch (rest[0])
        {
            // JSON: \u0073 (any case of hex digits), and \" \\ \/.
            case '\\' when rest.Length >= 6 && (rest[1] == 'u' || rest[1] == 'U') && TryHex(rest.Slice(2, 4), out character):
                return 6;
            case '\\' when rest.Length >= 2 && rest[1] is '"' or '\\' or '/':
                character = rest[1];
                return 2;

            // URL: %73.
            case '%' when rest.Length >= 3 && TryHex(rest.Slice(1, 2), out character):
                return 3;

            // HTML: &#115; or &#x73;.
            case '&' when rest.Length >= 4 && rest[1] == '#':
                return ReadCharacterReference(rest, out character);

            default:
                return 0;
        }
    }

    private static int ReadCharacterReference(ReadOnlySpan<char> rest, out char character)
    {
        var hex = rest[2] is 'x' or 'X';
        var digitsStart = hex ? 3 : 2;
        var semicolon = rest[..Math.Min(rest.Length, 12)].IndexOf(';');
        if (semicolon > digitsStart
            && int.TryParse(rest[digitsStart..semicolon], hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value is > 0 and <= char.MaxValue)
        {
            character = (char)value;
            return semicolon + 1;
        }

        character = '\0';
        return 0;
    }

    private static bool TryHex(ReadOnlySpan<char> digits, out char character)
    {
        if (ushort.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            character = (char)value;
            return true;
        }

        character = '\0';
        return false;
    }

    /// <summary>Compares two characters, ignoring the case of ASCII letters (a key echoed upper-cased is still the key).</summary>
    private static bool SameLetter(char a, char b) => a == b || (char.IsAsciiLetter(a) && char.IsAsciiLetter(b) && (a | 0x20) == (b | 0x20));
}
