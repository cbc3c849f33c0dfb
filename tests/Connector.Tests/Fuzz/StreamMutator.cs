using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>Applies <see cref="Mutation"/>s to the bytes of a valid event stream, line by line.</summary>
internal static partial class StreamMutator
{
    private const string Placeholder = "@@mutated@@";

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xFE, 0xFF],
    ];

    private static readonly string[] HugeNumbers =
    [
        "1" + new string('0', 400), "-1" + new string('0', 30), "1e999", "-1e-999", "123456789012345678901234567890.5", "2147483648",
        "9223372036854775808", "-9223372036854775809", "1E+400", "NaN", "Infinity", "0.000000000000000000000000000001", "-0",
    ];

    private static readonly string[] WrongTypes =
    [
        "{}", "[]", "\"\"", "\" \"", "\"\\t\"", "\"text\"", "0", "-1", "true", "false", "null", "{\"a\":[1,{\"b\":2}]}", "[{\"index\":0}]",
        "\"" + new string('z', 5000) + "\"", new string('[', 100) + new string(']', 100), "1e400", "{\"message\":{\"nested\":true}}",
    ];

    /// <summary>Lines of no protocol to insert: SSE fields of other kinds, comments, stray or empty data.</summary>
    private static readonly string[] InsertedLines =
    [
        "id: \u0000", "id: 42", "retry: 99999999999999999999", "retry: 9999999999999999", "retry: 1000", ": keep-alive", "data:",
        "data: {}", "data: null", "data: 42", "data: \"text\"", "nocolon", "\uFEFFdata: {}", "event:",
    ];

    private static readonly string[] LineBreaks = ["\n", "\r", "\r\n"];

    /// <summary>Gets a generator of one to four mutations.</summary>
    public static Gen<Mutation[]> Mutations { get; } =
        Gen.Select(Gen.Enum<MutationKind>(), Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 20], (k, a, b, c) => new Mutation(k, a, b, c)).Array[1, 4];

    /// <summary>Returns a damaged copy of <paramref name="body"/>; inserted lines are SSE lines of no protocol or one of <paramref name="protocolLines"/>.</summary>
    public static byte[] Apply(byte[] body, IEnumerable<Mutation> mutations, IReadOnlyList<string> protocolLines)
    {
        var lines = SplitLines(body);
        foreach (var mutation in mutations)
        {
            if (mutation.Kind == MutationKind.TruncateBody)
            {
                var whole = Join(lines);
                lines = SplitLines(whole.AsSpan(0, whole.Length == 0 ? 0 : mutation.A % (whole.Length + 1)).ToArray());
            }
            else if (lines.Count > 0)
            {
                Apply(lines, mutation, protocolLines);
            }
        }

        return Join(lines);
    }

    private static void Apply(List<byte[]> lines, Mutation m, IReadOnlyList<string> protocolLines)
    {
        var index = m.A % lines.Count;
        var line = lines[index];
        var (content, ending) = SplitEnding(line);
        switch (m.Kind)
        {
            case MutationKind.DropLine:
                lines.RemoveAt(index);
                break;
            case MutationKind.DropEvent:
                {
                    var (start, count) = Event(lines, index);
                    lines.RemoveRange(start, count);
                    break;
                }

            case MutationKind.DuplicateEvent:
                {
                    var (start, count) = Event(lines, index);
                    lines.InsertRange(start + count, lines.GetRange(start, count));
                    break;
                }

            case MutationKind.SwapEvents:
                {
                    var (firstStart, firstCount) = Event(lines, index);
                    var (secondStart, secondCount) = Event(lines, m.B % lines.Count);
                    if (firstStart + firstCount <= secondStart)
                    {
                        var second = lines.GetRange(secondStart, secondCount);
                        var first = lines.GetRange(firstStart, firstCount);
                        lines.RemoveRange(secondStart, secondCount);
                        lines.InsertRange(secondStart, first);
                        lines.RemoveRange(firstStart, firstCount);
                        lines.InsertRange(firstStart, second);
                    }

                    break;
                }

            case MutationKind.CutLine:
                lines[index] = [.. content.AsSpan(0, m.B % (content.Length + 1)), .. ending];
                break;
            case MutationKind.InvalidUtf8:
                {
                    var at = m.B % (content.Length + 1);
                    lines[index] = [.. content.AsSpan(0, at), .. InvalidUtf8[m.C % InvalidUtf8.Length], .. content.AsSpan(at), .. ending];
                    break;
                }

            case MutationKind.HugeNumber:
                {
                    var text = Encoding.Latin1.GetString(content);
                    var numbers = Number().Matches(text);
                    if (numbers.Count > 0)
                    {
                        var match = numbers[m.B % numbers.Count];
                        text = string.Concat(text.AsSpan(0, match.Index), HugeNumbers[m.C % HugeNumbers.Length], text.AsSpan(match.Index + match.Length));
                        lines[index] = [.. Encoding.Latin1.GetBytes(text), .. ending];
                    }

                    break;
                }

            case MutationKind.WrongType:
                if (ReplaceValue(content, m.B, WrongTypes[m.C % WrongTypes.Length]) is { } replaced)
                {
                    lines[index] = [.. replaced, .. ending];
                }

                break;
            case MutationKind.InsertLine:
                {
                    var pick = m.C % (InsertedLines.Length + protocolLines.Count);
                    var inserted = pick < InsertedLines.Length ? InsertedLines[pick] : protocolLines[pick - InsertedLines.Length];
                    lines.Insert(index, [.. Encoding.UTF8.GetBytes(inserted), .. ending.Length == 0 ? "\n"u8.ToArray() : ending]);
                    break;
                }

            case MutationKind.StrayLineBreak:
                {
                    var at = m.B % (content.Length + 1);
                    lines[index] = [.. content.AsSpan(0, at), .. Encoding.ASCII.GetBytes(LineBreaks[m.C % LineBreaks.Length]), .. content.AsSpan(at), .. ending];
                    break;
                }
        }
    }

    /// <summary>
    /// Rewrites one JSON event of a body: in the <paramref name="linePick"/>-th <c>data:</c> line holding a JSON object,
    /// the <paramref name="valuePick"/>-th property value is replaced by <paramref name="replacement"/> (any text), or,
    /// with <paramref name="addProperty"/>, a property of that name holding <paramref name="replacement"/> is added to
    /// the <paramref name="valuePick"/>-th object. Returns the body unchanged when there is no such line.
    /// </summary>
    public static byte[] RewriteEvent(byte[] body, int linePick, int valuePick, string replacement, string? addProperty = null)
    {
        var lines = SplitLines(body);
        var candidates = Enumerable.Range(0, lines.Count).Where(i => lines[i].AsSpan().StartsWith("data: {"u8)).ToList();
        if (candidates.Count == 0)
        {
            return body;
        }

        var index = candidates[linePick % candidates.Count];
        var (content, ending) = SplitEnding(lines[index]);
        if (ReplaceValue(content, valuePick, replacement, propertiesOnly: true, addProperty) is { } rewritten)
        {
            lines[index] = [.. rewritten, .. ending];
        }

        return Join(lines);
    }

    /// <summary>Replaces the <paramref name="pick"/>-th JSON value of a <c>data:</c> line by <paramref name="replacement"/> (any text).</summary>
    private static byte[]? ReplaceValue(byte[] line, int pick, string replacement, bool propertiesOnly = false, string? addProperty = null)
    {
        if (!line.AsSpan().StartsWith("data:"u8))
        {
            return null;
        }

        JsonNode? root;
        var slots = new List<(JsonNode Parent, string? Key, int Index)>();
        try
        {
            root = JsonNode.Parse(line.AsSpan(5).ToArray());
            Collect(root, slots);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON (or not UTF-8, which JsonNode finds out lazily): nothing to replace.
            return null;
        }

        if (addProperty is not null)
        {
            var objects = slots.Select(s => s.Parent).OfType<JsonObject>().Distinct().Prepend(root as JsonObject).OfType<JsonObject>().ToList();
            if (objects.Count == 0)
            {
                return null;
            }

            slots = [(objects[pick % objects.Count], addProperty, -1)];
        }
        else if (propertiesOnly)
        {
            slots = slots.Where(s => s.Key is not null).ToList();
        }

        if (slots.Count == 0)
        {
            return null;
        }

        var (parent, key, position) = slots[pick % slots.Count];
        if (key is not null)
        {
            parent[key] = Placeholder;
        }
        else
        {
            parent[position] = Placeholder;
        }

        try
        {
            var json = root!.ToJsonString().Replace("\"" + Placeholder + "\"", replacement, StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes("data: " + json);
        }
        catch (InvalidOperationException)
        {
            // A string in the line is not valid text (an earlier mutation damaged it): leave the line as it is.
            return null;
        }
    }

    private static void Collect(JsonNode? node, List<(JsonNode Parent, string? Key, int Index)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    slots.Add((obj, key, -1));
                    Collect(child, slots);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i));
                    Collect(array[i], slots);
                }

                break;
        }
    }

    /// <summary>Finds the event a line belongs to: from after the previous blank line through the next blank line.</summary>
    private static (int Start, int Count) Event(List<byte[]> lines, int index)
    {
        var start = index;
        while (start > 0 && !IsBlank(lines[start - 1]))
        {
            start--;
        }

        var end = index;
        while (end < lines.Count - 1 && !IsBlank(lines[end]))
        {
            end++;
        }

        return (start, end - start + 1);
    }

    private static bool IsBlank(byte[] line) => SplitEnding(line).Content.Length == 0;

    private static (byte[] Content, byte[] Ending) SplitEnding(byte[] line)
    {
        var endingLength = line.AsSpan().EndsWith("\r\n"u8) ? 2 : line.Length > 0 && line[^1] is (byte)'\n' or (byte)'\r' ? 1 : 0;
        return (line[..^endingLength], line[^endingLength..]);
    }

    private static List<byte[]> SplitLines(ReadOnlySpan<byte> body)
    {
        var lines = new List<byte[]>();
        while (!body.IsEmpty)
        {
            var i = body.IndexOfAny((byte)'\r', (byte)'\n');
            if (i < 0)
            {
                lines.Add(body.ToArray());
                break;
            }

            var end = body[i] == '\r' && i + 1 < body.Length && body[i + 1] == '\n' ? i + 2 : i + 1;
            lines.Add(body[..end].ToArray());
            body = body[end..];
        }

        return lines;
    }

    private static byte[] Join(List<byte[]> lines)
    {
        var total = lines.Sum(l => l.Length);
        var joined = new byte[total];
        var offset = 0;
        foreach (var line in lines)
        {
            line.CopyTo(joined, offset);
            offset += line.Length;
        }

        return joined;
    }

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")]
    private static partial Regex Number();
}
