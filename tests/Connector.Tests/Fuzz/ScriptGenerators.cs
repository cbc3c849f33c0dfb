using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// CsCheck generators of valid, protocol-neutral reply scripts: reasoning, text and tool calls in any order
/// and chunking (text with escapes, non-ASCII, emoji, control characters), signed and redacted reasoning, usage
/// (cached and cache-creation input never more than the input), finish reasons, line endings and comment lines.
/// </summary>
internal static class ScriptGenerators
{
    private const string DefaultFinish = "(default)";

    private static readonly Gen<string> Piece = Gen.OneOf(
        "a", "b", "Z", "0", " ", "  ", "é", "中文", "😀", "👩‍👩‍👧", "\"", "\\", "\n", "\r\n", "\r", "\t", "/", "</script>",
        "\u2028", "\u0000", "\u001f", "{", "}", "\\u00e9", "data: x", "[DONE]", ": comment", "\ud83c\udf89");

    /// <summary>Gets a generator of text: escapes, non-ASCII, emoji, control characters, SSE look-alikes.</summary>
    public static Gen<string> Text { get; } = Piece.Array[0, 16].Select(pieces => string.Concat(pieces));

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

    /// <summary>Opaque signatures and encrypted reasoning: base64 as servers send it, and text that needs escaping.</summary>
    private static readonly Gen<string> Opaque = Gen.OneOf("EqQBCkYIBxgCKkBsig+/w==", "s", "c2lnbmF0dXJl", "a\"b\\c", "é😀/", "x\u0000y");

    private static readonly Gen<PartSpec> Part = Gen.Frequency(
        (3, Gen.Select(Text, Gen.Int[1, 12], Opaque.Null(0.7), (text, chunk, signature) => new PartSpec(PartKind.Reasoning, text, chunk, HasId: false, Name: string.Empty, Fragments: 1, signature))),
        (1, Opaque.Select(data => new PartSpec(PartKind.RedactedReasoning, string.Empty, 1, HasId: false, Name: string.Empty, Fragments: 1, data))),
        (4, Gen.Select(Text, Gen.Int[1, 12], (text, chunk) => new PartSpec(PartKind.Text, text, chunk, HasId: false, Name: string.Empty, Fragments: 1, Opaque: null))),
        (2, Gen.Select(Arguments, Gen.Bool, Gen.OneOf("get_weather", "search", "f", "tool.with.dots"), Gen.Int[1, 6], (args, hasId, name, fragments) => new PartSpec(PartKind.ToolCall, args, 1, hasId, name, fragments, Opaque: null))));

    /// <summary>Input, output, cached and cache-creation input (parts of the input), reasoning (a part of the output).</summary>
    private static readonly Gen<FuzzUsage?> Usage = Gen.Select(Gen.Int[0, 200_000], Gen.Int[0, 200_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000])
        .Select(u => new FuzzUsage(u.Item1, u.Item2, Math.Min(u.Item3, u.Item1), u.Item4, Math.Min(u.Item5, u.Item1 - Math.Min(u.Item3, u.Item1))))
        .Null(0.3);

    private static readonly Gen<string?> Finish = Gen.OneOf<string?>(DefaultFinish, DefaultFinish, "stop", "length", "tool_calls", "content_filter", "my_own_reason", null);

    /// <summary>Returns the generator of valid scripts, with response ids in the style of <paramref name="wire"/> among others.</summary>
    public static Gen<FuzzScript> Scripts(WireFormat wire) => Gen.Select(
        Part.Array[0, 6],
        Usage,
        Finish,
        Gen.OneOf("\n", "\r\n", "\r"),
        Gen.Bool,
        Gen.OneOf(wire.ResponseId("fuzz"), "id-😀-1", string.Empty),
        Build);

    private static FuzzScript Build(PartSpec[] parts, FuzzUsage? usage, string? finish, string lineEnding, bool comments, string id)
    {
        var reply = new EmulatorReply().WithId(id).WithLineEnding(lineEnding);
        if (comments)
        {
            reply.WithComments();
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ExpectedCall>();
        var opaque = new List<string>();
        foreach (var part in parts)
        {
            switch (part.Kind)
            {
                case PartKind.Reasoning:
                    reply.AddReasoning(part.Text, part.Chunk, part.Opaque);
                    reasoning.Append(part.Text);
                    if (part.Opaque is not null)
                    {
                        opaque.Add(part.Opaque);
                    }

                    break;
                case PartKind.RedactedReasoning:
                    reply.AddRedactedReasoning(part.Opaque!);
                    opaque.Add(part.Opaque!);
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
            reply.WithUsage(u.Input, u.Output, u.Cached, u.Reasoning, u.CacheCreation);
        }

        var wireFinish = finish == DefaultFinish ? (calls.Count > 0 ? "tool_calls" : "stop") : finish;
        if (finish != DefaultFinish)
        {
            reply.WithFinishReason(finish is null ? null : new ChatFinishReason(finish));
        }

        return new FuzzScript(reply, text.ToString(), reasoning.ToString(), opaque, calls, usage, wireFinish);
    }

    private enum PartKind
    {
        Reasoning,
        RedactedReasoning,
        Text,
        ToolCall,
    }

    private sealed record PartSpec(PartKind Kind, string Text, int Chunk, bool HasId, string Name, int Fragments, string? Opaque);
}
