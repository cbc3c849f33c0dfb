using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Finds secrets a stream carries split across events: a model that repeats a key does so delta by delta, each event
/// holding a few characters of it in the same field. The string values of each field (the event's type and the value's
/// path, such as <c>content_block_delta</c> + <c>delta.text</c>) are read in order and joined, and a secret found in the
/// joined text across two or more values marks every value holding a part of it.
/// </summary>
internal static class SplitSecrets
{
    private const string DataField = "data:";
    private const string EventField = "event:";

    /// <summary>Finds, in a server-sent event body, the contents (between the quotes) of the string values holding part of a
    /// secret split across values; sorted and apart.</summary>
    public static List<(int Start, int End)> Find(string text, IReadOnlyList<string> secrets)
    {
        var fields = ReadStreamedStrings(text);
        var found = new List<(int Start, int End)>();
        foreach (var values in fields.Values.Where(v => v.Count > 1))
        {
            var joined = new StringBuilder();
            var starts = new int[values.Count];
            for (var v = 0; v < values.Count; v++)
            {
                starts[v] = joined.Length;
                joined.Append(values[v].Value);
            }

            var whole = joined.ToString();
            foreach (var secret in secrets)
            {
                for (var i = 0; i < whole.Length;)
                {
                    var end = SecretForms.MatchAt(whole, i, secret, cutMark: null);
                    if (end <= i)
                    {
                        i++;
                        continue;
                    }

                    // The values the match runs through: from the one it starts in to the one it ends in.
                    var first = Array.BinarySearch(starts, i);
                    first = first >= 0 ? first : ~first - 1;
                    var last = Array.BinarySearch(starts, end - 1);
                    last = last >= 0 ? last : ~last - 1;
                    for (var v = first; v <= last && last > first; v++)
                    {
                        found.Add((values[v].Start, values[v].End));
                    }

                    i = end;
                }
            }
        }

        found.Sort();
        var apart = new List<(int Start, int End)>(found.Count);
        foreach (var range in found)
        {
            if (apart.Count > 0 && range.Start < apart[^1].End)
            {
                apart[^1] = (apart[^1].Start, Math.Max(apart[^1].End, range.End));
            }
            else
            {
                apart.Add(range);
            }
        }

        return apart;
    }

    /// <summary>Reads the string values of each event's JSON data line, grouped by the event's type and the value's path,
    /// in order, with where each value's contents stand in <paramref name="text"/>.</summary>
    private static Dictionary<string, List<(int Start, int End, string Value)>> ReadStreamedStrings(string text)
    {
        var fields = new Dictionary<string, List<(int Start, int End, string Value)>>(StringComparer.Ordinal);
        var eventType = string.Empty;
        for (var lineStart = 0; lineStart < text.Length;)
        {
            var lineEnd = text.IndexOfAny(['\r', '\n'], lineStart);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            var line = text.AsSpan(lineStart, lineEnd - lineStart);
            if (line.IsEmpty)
            {
                eventType = string.Empty;
            }
            else if (line.StartsWith(EventField, StringComparison.Ordinal))
            {
                eventType = line[EventField.Length..].Trim().ToString();
            }
            else if (line.StartsWith(DataField, StringComparison.Ordinal))
            {
                var offset = lineStart + DataField.Length + (line.Length > DataField.Length && line[DataField.Length] == ' ' ? 1 : 0);
                ReadStrings(text, offset, lineEnd, eventType, fields);
            }

            lineStart = lineEnd + (lineEnd + 1 < text.Length && text[lineEnd] == '\r' && text[lineEnd + 1] == '\n' ? 2 : 1);
        }

        return fields;
    }

    private static void ReadStrings(string text, int start, int end, string eventType, Dictionary<string, List<(int Start, int End, string Value)>> fields)
    {
        if (start >= end || text[start] is not ('{' or '['))
        {
            return;
        }

        var json = Encoding.UTF8.GetBytes(text, start, end - start);
        var reader = new Utf8JsonReader(json);
        var walker = new JsonValueWalker();
        var charsBefore = 0;
        var bytesBefore = 0;
        try
        {
            while (walker.ReadValue(ref reader))
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    continue;
                }

                // The contents lie between the quotes; byte offsets become character offsets as the line is read.
                var contentStart = (int)reader.TokenStartIndex + 1;
                charsBefore += Encoding.UTF8.GetCharCount(json, bytesBefore, contentStart - bytesBefore);
                var contentChars = Encoding.UTF8.GetCharCount(json, contentStart, reader.ValueSpan.Length);
                bytesBefore = contentStart;
                var key = eventType + "\n" + string.Join('.', walker.Path);
                if (!fields.TryGetValue(key, out var values))
                {
                    fields[key] = values = [];
                }

                values.Add((start + charsBefore, start + charsBefore + contentChars, reader.GetString()!));
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: nothing of it is read.
        }
    }
}
