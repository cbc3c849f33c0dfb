using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Takes secrets out of what a cassette keeps: the values of secret JSON fields become <c>"[redacted]"</c>, and every
/// secret value (the API key, secret headers' and fields' values, <see cref="CassetteOptions.Secrets"/>) becomes
/// <see cref="Marker"/> wherever it stands, as it is, JSON-escaped, URL-encoded or as HTML character references
/// (<see cref="SecretForms"/>). A body recorded in pieces is scrubbed as a whole, so a secret split across two pieces is
/// found too; a secret a stream carried a few characters per event takes every value holding a part of it
/// (<see cref="SplitSecrets"/>).
/// </summary>
internal sealed class CassetteScrubber
{
    /// <summary>What stands where a secret was.</summary>
    public const string Marker = SecretForms.Marker;

    /// <summary>The fewest characters of a secret field's string value that is taken out of the rest of a cassette too:
    /// a shorter one ("data", "user") stands in too much else, and taking it out would break the stream around it.</summary>
    public const int MinLearntLength = 8;

    private readonly FieldPattern[] _secretFields;
    private readonly List<string> _secrets;

    public CassetteScrubber(FieldPattern[] secretFields, IEnumerable<string> secrets)
    {
        _secretFields = secretFields;
        _secrets = [.. secrets.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    /// <summary>Adds a secret value found in a request (a key header, a secret field).</summary>
    public void AddSecret(string secret)
    {
        if (!string.IsNullOrEmpty(secret) && !_secrets.Contains(secret, StringComparer.Ordinal))
        {
            _secrets.Add(secret);
            _secrets.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>
    /// Replaces the values of secret fields of a JSON body with <c>"[redacted]"</c>, keeping every other byte; adds the
    /// values found to the secrets when <paramref name="learn"/> is set. A body that is not JSON is returned as it is.
    /// </summary>
    public string RedactFields(string body, bool learn)
    {
        if (_secretFields.Length == 0 || body.Length == 0)
        {
            return body;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        var ranges = new List<(int Start, int End)>();
        try
        {
            FindSecretValues(bytes, ranges, learn);
        }
        catch (JsonException)
        {
            return body;
        }

        if (ranges.Count == 0)
        {
            return body;
        }

        var redacted = new StringBuilder(body.Length);
        var at = 0;
        foreach (var (start, end) in ranges)
        {
            redacted.Append(Encoding.UTF8.GetString(bytes, at, start - at)).Append('"').Append(Marker).Append('"');
            at = end;
        }

        return redacted.Append(Encoding.UTF8.GetString(bytes, at, bytes.Length - at)).ToString();
    }

    /// <summary>Replaces every secret in <paramref name="text"/>, in any form, with <see cref="Marker"/>.</summary>
    public string Scrub(string text)
    {
        if (_secrets.Count == 0 || text.Length == 0)
        {
            return text;
        }

        return ScrubWithBoundaries(text, []);
    }

    /// <summary>
    /// Scrubs a body that arrived in pieces. The pieces are cut at character boundaries first (a cut inside a UTF-8
    /// sequence moves to its end), then scrubbed as one text: a cut inside a secret moves to its end. Each piece keeps the
    /// time it arrived; a piece left empty goes. A body read only up to the middle of a character keeps those last bytes
    /// as a piece of their own; a body that is not UTF-8 at all is scrubbed byte by byte (each byte a character), so a
    /// secret in ASCII, as API keys are, is found in it too.
    /// </summary>
    public List<CassetteChunk> Scrub(List<CassetteChunk> chunks)
    {
        var all = chunks.SelectMany(c => c.Data).ToArray();
        var status = Utf8.ToUtf16(all, new char[all.Length], out var utf8Bytes, out _, replaceInvalidSequences: false, isFinalBlock: false);
        var isUtf8 = status is OperationStatus.Done or OperationStatus.NeedMoreData;
        var encoding = isUtf8 ? Encoding.UTF8 : Encoding.Latin1;
        var textBytes = isUtf8 ? utf8Bytes : all.Length;

        var text = new StringBuilder(all.Length);
        var boundaries = new List<int>(chunks.Count);
        int rawEnd = 0, from = 0;
        foreach (var chunk in chunks)
        {
            rawEnd += chunk.Data.Length;
            var to = Math.Clamp(rawEnd, from, textBytes);
            while (isUtf8 && to < textBytes && (all[to] & 0xC0) == 0x80)
            {
                to++;
            }

            text.Append(encoding.GetString(all, from, to - from));
            boundaries.Add(text.Length);
            from = to;
        }

        var scrubbed = ScrubWithBoundaries(text.ToString(), boundaries);

        // A secret a stream carries a few characters per event: every value holding a part of it goes whole.
        if (isUtf8 && _secrets.Count > 0)
        {
            scrubbed = Replace(scrubbed, SplitSecrets.Find(scrubbed, _secrets), boundaries);
        }

        var result = new List<CassetteChunk>(chunks.Count + 1);
        var start = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var stop = Math.Max(start, boundaries[i]);
            if (stop > start)
            {
                result.Add(new CassetteChunk(chunks[i].At, encoding.GetBytes(scrubbed[start..stop])));
            }

            start = stop;
        }

        // The first bytes of a character the reader stopped before the rest of.
        if (textBytes < all.Length)
        {
            result.Add(new CassetteChunk(chunks[^1].At, all[textBytes..]));
        }

        return result;
    }

    /// <summary>Puts <see cref="Marker"/> in place of each of <paramref name="matches"/> (sorted and apart), moving the
    /// <paramref name="boundaries"/> along.</summary>
    private static string Replace(string text, List<(int Start, int End)> matches, List<int> boundaries)
    {
        if (matches.Count == 0)
        {
            return text;
        }

        var scrubbed = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, end) in matches)
        {
            scrubbed.Append(text, at, start - at).Append(Marker);
            at = end;
        }

        scrubbed.Append(text, at, text.Length - at);
        for (var b = 0; b < boundaries.Count; b++)
        {
            boundaries[b] = MapBoundary(boundaries[b], matches);
        }

        return scrubbed.ToString();
    }

    /// <summary>Where a boundary (a character index) goes when the matches become markers: a boundary inside a match moves
    /// to the end of its marker.</summary>
    private static int MapBoundary(int boundary, List<(int Start, int End)> matches)
    {
        var shift = 0;
        foreach (var (start, end) in matches)
        {
            if (end <= boundary)
            {
                shift += Marker.Length - (end - start);
            }
            else
            {
                return start < boundary ? start + shift + Marker.Length : boundary + shift;
            }
        }

        return boundary + shift;
    }

    /// <summary>
    /// Where a match at <paramref name="start"/> begins once the backslash escaping it is counted in: a secret quoted
    /// escaped inside a JSON string (<c>\\u0073k…</c>, the text <c>\u0073k…</c>) matches from the second backslash, and a
    /// marker after the first would make it escape the marker's <c>[</c>, which no JSON reader takes. After an odd run of
    /// backslashes (since <paramref name="floor"/>, the end of the previous match) the last one goes with the match.
    /// </summary>
    private static int EscapedStart(string text, int start, int floor)
    {
        var run = 0;
        while (start - run > floor && text[start - run - 1] == '\\')
        {
            run++;
        }

        return run % 2 == 1 ? start - 1 : start;
    }

    /// <summary>Scrubs every secret from <paramref name="text"/>, moving the <paramref name="boundaries"/> along.</summary>
    private string ScrubWithBoundaries(string text, List<int> boundaries)
    {
        foreach (var secret in _secrets)
        {
            var matches = new List<(int Start, int End)>();
            for (var i = 0; i < text.Length;)
            {
                // A marker is left whole: a short secret ("ted") may stand within it.
                if (text.AsSpan(i).StartsWith(Marker, StringComparison.Ordinal))
                {
                    i += Marker.Length;
                    continue;
                }

                var end = SecretForms.MatchAt(text, i, secret, cutMark: null);
                if (end > i)
                {
                    matches.Add((EscapedStart(text, i, matches.Count == 0 ? 0 : matches[^1].End), end));
                    i = end;
                }
                else
                {
                    i++;
                }
            }

            text = Replace(text, matches, boundaries);
        }

        return text;
    }

    /// <summary>
    /// Adds the string at the reader to the secrets when <paramref name="learn"/> is set and it has at least
    /// <see cref="MinLearntLength"/> characters. Numbers and literals are left out: taking every <c>true</c> or every
    /// <c>2024</c> out of the cassette would break the JSON and text around them, and hides nothing.
    /// </summary>
    private void Learn(ref Utf8JsonReader reader, bool learn)
    {
        if (learn && reader.TokenType == JsonTokenType.String && reader.GetString() is { } value && value.Trim().Length >= MinLearntLength)
        {
            AddSecret(value);
        }
    }

    /// <summary>Finds the byte ranges of the values of secret fields, learning their values when asked.</summary>
    private void FindSecretValues(ReadOnlySpan<byte> json, List<(int Start, int End)> ranges, bool learn)
    {
        var reader = new Utf8JsonReader(json);
        var walker = new JsonValueWalker();
        while (walker.ReadValue(ref reader))
        {
            if (walker.Path.Count == 0 || !FieldPattern.AnyMatches(_secretFields, walker.Path))
            {
                continue;
            }

            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                // An object or array is redacted whole; what may be quoted elsewhere are its strings.
                var depth = reader.CurrentDepth;
                while (reader.Read() && reader.CurrentDepth > depth)
                {
                    Learn(ref reader, learn);
                }

                walker.Consumed();
            }
            else
            {
                Learn(ref reader, learn);
            }

            ranges.Add((start, (int)reader.BytesConsumed));
        }
    }
}
