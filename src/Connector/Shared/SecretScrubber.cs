using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Takes the configured API key out of server text the library repeats: exception messages, error types and codes,
/// log lines. A server may quote the key in any form, so each character of it is recognized as it is (in either
/// letter case), JSON-escaped (<c>\u0073</c>, <c>\/</c>), URL-encoded (<c>%73</c>) or as an HTML character reference
/// (<c>&amp;#115;</c>, <c>&amp;#x73;</c>), wherever the key stands, also inside a longer token. Each occurrence becomes
/// <see cref="Marker"/>. A masked echo such as <c>sk-pro...9e2c</c> is not the key and stays.
/// </summary>
/// <remarks>
/// Text is scrubbed after JSON decoding, so a key the server escaped once is already plain; the escaped forms matter for
/// text that was not decoded (plain text, HTML, a JSON document quoted inside a message). Quoted server text is cut at
/// <see cref="QuotedText.MaxQuotedLength"/> characters, which may cut an echoed key: the part of the key that runs
/// into the cut (<see cref="QuotedText.TruncationMark"/>) is scrubbed too.
/// </remarks>
internal sealed class SecretScrubber
{
    /// <summary>What stands where the key was.</summary>
    public const string Marker = "[redacted]";

    /// <summary>The fewest characters of the key, running into a cut, that are scrubbed as a cut key.</summary>
    private const int MinCutKeyLength = 4;

    private readonly string? _secret;

    /// <summary>Initializes a new instance of the <see cref="SecretScrubber"/> class.</summary>
    /// <param name="secret">The API key, or <see langword="null"/> or empty when there is none (then nothing is scrubbed).</param>
    public SecretScrubber(string? secret) => _secret = string.IsNullOrEmpty(secret) ? null : secret;

    /// <summary>Gets a value indicating whether <paramref name="text"/> holds the key in any form.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when <see cref="Scrub(string)"/> would change the text.</returns>
    public bool Finds(string? text)
    {
        if (_secret is null || string.IsNullOrEmpty(text))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (MatchAt(text, i, _secret) > i)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets a value indicating whether the message, error type or error code of <paramref name="exception"/> holds the key.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> when <see cref="Scrub(YuHuanApiException)"/> would replace it.</returns>
    public bool Finds(YuHuanApiException exception) =>
        Finds(exception.Message) || Finds(exception.ErrorType) || Finds(exception.ErrorCode);

    /// <summary>Replaces every occurrence of the key in <paramref name="text"/>, in any form, with <see cref="Marker"/>.</summary>
    /// <param name="text">The text, or <see langword="null"/>.</param>
    /// <returns>The text without the key; the same instance when it held none.</returns>
    public string? Scrub(string? text)
    {
        if (!Finds(text))
        {
            return text;
        }

        var secret = _secret!;
        var scrubbed = new StringBuilder(text!.Length);
        for (var i = 0; i < text.Length;)
        {
            var end = MatchAt(text, i, secret);
            if (end > i)
            {
                scrubbed.Append(Marker);
                i = end;
            }
            else
            {
                scrubbed.Append(text[i]);
                i++;
            }
        }

        return scrubbed.ToString();
    }

    /// <summary>
    /// Returns <paramref name="exception"/> with the key taken out of its message, error type and error code: the same
    /// instance when it holds none, otherwise a copy with the same status, retry delay, inner exception and stack trace.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>An exception that does not hold the key.</returns>
    public YuHuanApiException Scrub(YuHuanApiException exception)
    {
        if (!Finds(exception))
        {
            return exception;
        }

        var scrubbed = new YuHuanApiException(
            Scrub(exception.Message)!,
            exception.StatusCode,
            Scrub(exception.ErrorType),
            Scrub(exception.ErrorCode),
            exception.RetryAfter,
            exception.InnerException);
        if (exception.StackTrace is { } stackTrace)
        {
            ExceptionDispatchInfo.SetRemoteStackTrace(scrubbed, stackTrace);
        }

        return scrubbed;
    }

    /// <summary>
    /// Matches the key at <paramref name="start"/>: returns the index after it, or after the part of it that runs into a
    /// <see cref="QuotedText.TruncationMark"/> (at least <see cref="MinCutKeyLength"/> characters); <paramref name="start"/> when neither.
    /// </summary>
    private static int MatchAt(string text, int start, string secret)
    {
        var end = MatchFrom(text, start, secret, 0);
        return end < 0 ? start : end;
    }

    /// <summary>Matches <paramref name="secret"/> from its character <paramref name="k"/> on at <paramref name="position"/>; -1 when it does not match.</summary>
    private static int MatchFrom(string text, int position, string secret, int k)
    {
        for (; k < secret.Length; k++)
        {
            if (text.AsSpan(position).StartsWith(QuotedText.TruncationMark, StringComparison.Ordinal))
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
                var end = MatchFrom(text, position + length, secret, k + 1);
                if (end >= 0)
                {
                    return end;
                }
            }

            if (!SameLetter(text[position], secret[k]))
            {
                return CutInsideAnEscape(text, position, k, secret.Length);
            }

            position++;
        }

        return position;
    }

    /// <summary>Where a key runs into a cut that fell inside an escape sequence (<c>%7</c>, <c>\u00</c>), the key part ends at the cut.</summary>
    private static int CutInsideAnEscape(string text, int position, int matched, int secretLength)
    {
        const int LongestEscape = 8;
        var window = text.AsSpan(position, Math.Min(text.Length - position, LongestEscape + QuotedText.TruncationMark.Length));
        var mark = window.IndexOf(QuotedText.TruncationMark, StringComparison.Ordinal);
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
