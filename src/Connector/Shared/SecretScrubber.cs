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
    public const string Marker = SecretForms.Marker;

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
            if (SecretForms.MatchAt(text, i, _secret, QuotedText.TruncationMark) > i)
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
            var end = SecretForms.MatchAt(text, i, secret, QuotedText.TruncationMark);
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
}
