using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// CsCheck generators of valid, protocol-neutral reply scripts: reasoning, text and tool calls in any order
/// and chunking (text with escapes, non-ASCII, emoji, control characters), usage, finish reasons, line endings
/// and comment lines.
/// </summary>
internal static class ScriptGenerators
{
    private const string DefaultFinish = "(default)";

    private static readonly Gen<string> Piece = Gen.OneOf(
        "a", "b", "Z", "0", " ", "  ", "é", "中文", "😀", "👩‍👩‍👧", "\"", "\\", "\n", "\r\n", "\r", "\t", "/", "</script>",
        "\u2028", "\u0000", "\u001f", "{", "}", "\\u00e9", "data: x", "[DONE]", ": comment", "\ud83c\udf89");

    private static readonly Gen<string> Text = Piece.Array[0, 16].Select(pieces => string.Concat(pieces));

    private static readonly Gen<string> Key = Gen.OneOf("city", "q", "n", "ключ", "a b", "x\"y", "", "deep");

    private static readonly Gen<string> JsonValue = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Text.Select(t => JsonSerializer.Serialize(t)),
        Gen.OneOf("true", "false", "null", "[1,2,[3]]", "{\"n\":{\"m\":[]}}", "1.5e3", "-0", "\"\\ud83d\\ude00\""));

    private static readonly Gen<string> Arguments = Gen.Select(Key, JsonValue).Array[0, 4].Select(pairs =>
    {
        var builder = new StringBuilder("{");
        foreach (var (key, value) in pairs.DistinctBy(p => p.Item1))
        {
            builder.Append(builder.Length > 1 ? "," : string.Empty).Append(JsonSerializer.Serialize(key)).Append(':').Append(value);
        }

        return builder.Append('}').ToString();
    });

    private static readonly Gen<PartSpec> Part = Gen.Frequency(
        (3, Gen.Select(Text, Gen.Int[1, 12], (text, chunk) => new PartSpec(PartKind.Reasoning, text, chunk, HasId: false, Name: string.Empty, Fragments: 1))),
        (4, Gen.Select(Text, Gen.Int[1, 12], (text, chunk) => new PartSpec(PartKind.Text, text, chunk, HasId: false, Name: string.Empty, Fragments: 1))),
        (2, Gen.Select(Arguments, Gen.Bool, Gen.OneOf("get_weather", "search", "f", "tool.with.dots"), Gen.Int[1, 6], (args, hasId, name, fragments) => new PartSpec(PartKind.ToolCall, args, 1, hasId, name, fragments))));

    private static readonly Gen<(int, int, int, int)?> Usage = Gen.Select(Gen.Int[0, 200_000], Gen.Int[0, 200_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000])
        .Nullable(0.3);

    private static readonly Gen<string?> Finish = Gen.OneOf<string?>(DefaultFinish, DefaultFinish, "stop", "length", "tool_calls", "content_filter", "my_own_reason", null);

    /// <summary>Gets the generator of valid scripts.</summary>
    public static Gen<FuzzScript> Scripts { get; } = Gen.Select(
        Part.Array[0, 6],
        Usage,
        Finish,
        Gen.OneOf("\n", "\r\n", "\r"),
        Gen.Bool,
        Gen.OneOf("chatcmpl-fuzz", "id-😀-1", string.Empty),
        Build);

    private static FuzzScript Build(PartSpec[] parts, (int, int, int, int)? usage, string? finish, string lineEnding, bool comments, string id)
    {
        var reply = new EmulatorReply().WithId(id).WithLineEnding(lineEnding);
        if (comments)
        {
            reply.WithComments();
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ExpectedCall>();
        foreach (var part in parts)
        {
            switch (part.Kind)
            {
                case PartKind.Reasoning:
                    reply.AddReasoning(part.Text, part.Chunk);
                    reasoning.Append(part.Text);
                    break;
                case PartKind.Text:
                    reply.AddText(part.Text, part.Chunk);
                    text.Append(part.Text);
                    break;
                default:
                    var callId = part.HasId ? "c" + calls.Count.ToString(CultureInfo.InvariantCulture) : null;
                    reply.AddToolCall(callId, part.Name, part.Text, part.Fragments);
                    calls.Add(new ExpectedCall(callId, part.Name, part.Text));
                    break;
            }
        }

        if (usage is { } u)
        {
            reply.WithUsage(u.Item1, u.Item2, u.Item3, u.Item4);
        }

        var wireFinish = finish == DefaultFinish ? (calls.Count > 0 ? "tool_calls" : "stop") : finish;
        if (finish != DefaultFinish)
        {
            reply.WithFinishReason(finish is null ? null : new ChatFinishReason(finish));
        }

        return new FuzzScript(reply, text.ToString(), reasoning.ToString(), calls, usage, wireFinish);
    }

    private enum PartKind
    {
        Reasoning,
        Text,
        ToolCall,
    }

    private sealed record PartSpec(PartKind Kind, string Text, int Chunk, bool HasId, string Name, int Fragments);
}
