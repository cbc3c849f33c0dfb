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
/// (cached and cache-creation input never more than the input), finish reasons, line endings and comment lines; hosted
/// tool calls and results (web search and fetch, file search, code execution, MCP calls and approval requests, image
/// generation), blocks and items of unknown types, and citations on text parts, each counted as the protocol renders it.
/// </summary>
internal static class ScriptGenerators
{
    private const string DefaultFinish = "(default)";

    /// <summary>Pieces of text, among them SSE look-alikes: a data line, a comment, and what ends each protocol's stream.</summary>
    private static readonly Gen<string> Piece = Gen.OneOf<string>(
    [
        "a", "b", "Z", "0", " ", "  ", "é", "中文", "😀", "👩‍👩‍👧", "\"", "\\", "\n", "\r\n", "\r", "\t", "/", "</script>",
        "\u2028", "\u0000", "\u001f", "{", "}", "\\u00e9", "data: x", ": comment", "\ud83c\udf89",
        .. TestProtocols.Kits.Select(kit => kit.TerminalMarker),
    ]);

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

    private static readonly Gen<string> Url = Gen.OneOf(
        "https://example.com/", "https://example.org/a/b?q=1&r=%20#frag", "https://xn--fsqu00a.xn--0zwm56d/%E4%B8%AD", "http://127.0.0.1:8080/x\"y");

    private static readonly Gen<string> Short = Gen.OneOf("", "x", "a b", "é", "中文", "😀", "\"", "\\", "\n", "</script>", "\u0000");

    /// <summary>Base64 of one or more bytes, as images are sent.</summary>
    private static readonly Gen<string> Image = Gen.Byte.Array[1, 24].Select(Convert.ToBase64String);

    /// <summary>Types of blocks and items no client knows, some of them real ones it may keep as they are.</summary>
    private static readonly Gen<string> RawType = Gen.OneOf("compaction", "fallback", "container_upload", "custom_tool_call", "shell_call", "x_future_item", "tool_search_tool_result");

    /// <summary>A whole raw block or item of <see cref="RawType"/>, with nested values and text that needs escaping.</summary>
    private static readonly Gen<(string Type, string Json)> Raw = Gen.Select(RawType, Text, Gen.Int[0, 999], (type, text, n) =>
        (type, $"{{\"type\":{JsonSerializer.Serialize(type)},\"id\":\"raw_{n}\",\"content\":{JsonSerializer.Serialize(text)},\"nested\":{{\"a\":[1,{{\"b\":null}}],\"type\":\"text\",\"text\":\"not text\"}}}}"));

    /// <summary>A hosted-tool or unknown part: what it is, and how to script it.</summary>
    private static readonly Gen<PartSpec> Hosted = Gen.OneOf(
        Gen.Select(Text, Gen.Select(Url, Short, Opaque.Null(0.3)).Array[0, 3], (query, results) =>
            HostedPart(new HostedSpec(HostedKind.WebSearch, 0, string.Empty), r => r.AddWebSearch(query, results))),
        Gen.Select(Url, Short, Text, (url, title, text) =>
            HostedPart(new HostedSpec(HostedKind.WebFetch, 0, string.Empty), r => r.AddWebFetch(url, title, text))),
        Gen.Select(Text.Array[0, 3], Gen.Select(Short, Short, Text, Gen.Double[0, 1]).Array[0, 3], (queries, results) =>
            HostedPart(new HostedSpec(HostedKind.FileSearch, 0, string.Empty), r => r.AddFileSearch(queries, results))),
        Gen.Select(Text, Text, Short, Gen.Int[-1, 2], Gen.Bool, Url.Array[0, 2], (code, stdout, stderr, returnCode, bash, images) =>
            HostedPart(new HostedSpec(bash ? HostedKind.BashExecution : HostedKind.CodeExecution, 0, string.Empty), r => r.AddCodeExecution(code, stdout, stderr, returnCode, bash, images))),
        Gen.Select(Short, Gen.OneOf("search", "f", "tool.with.dots"), Arguments, Text.Null(0.3), Gen.Bool, (server, tool, args, result, isError) =>
            HostedPart(new HostedSpec(result is null ? HostedKind.McpCallWithoutResult : HostedKind.McpCall, 0, string.Empty), r => r.AddMcpCall(server, tool, args, result, isError))),
        Gen.Select(Gen.OneOf("mcpr_1", "mcpr_😀", "a\"b"), Short, Gen.OneOf("search", "f"), Arguments, (id, server, tool, args) =>
            HostedPart(new HostedSpec(HostedKind.McpApproval, 0, string.Empty), r => r.AddMcpApprovalRequest(id, server, tool, args))),
        Gen.Select(Image, Image.Array[0, 3], Short.Null(0.5), (image, partials, prompt) =>
            HostedPart(new HostedSpec(HostedKind.ImageGeneration, partials.Length, string.Empty), r => r.AddImageGeneration(image, partials, prompt))),
        Raw.Select(raw => HostedPart(new HostedSpec(HostedKind.Raw, 0, raw.Type), r => r.AddRawItem(raw.Json))));

    /// <summary>A citation of a web page: address, title, cited text, and whether it spans the whole text part (else no positions).</summary>
    private static readonly Gen<CitationSpec> Citation = Gen.Select(Url, Short, Text, Gen.Bool, (url, title, cited, whole) => new CitationSpec(url, title, cited, whole));

    private static readonly Gen<CitationSpec[]> Citations = Gen.Frequency((3, Gen.Const(Array.Empty<CitationSpec>())), (1, Citation.Array[1, 2]));

    /// <summary>Returns the generator of parts for <paramref name="wire"/>: hosted parts only of the kinds its renderer renders.</summary>
    private static Gen<PartSpec> Part(WireFormat wire)
    {
        var rendered = Enum.GetValues<HostedKind>().Where(kind => !ReferenceEquals(wire.ExpectHosted(new HostedSpec(kind, 0, "x")), ExpectedHosted.None)).ToHashSet();
        List<(int, IGen<PartSpec>)> parts =
        [
            (3, Gen.Select(Text, Gen.Int[1, 12], Opaque.Null(0.7), (text, chunk, signature) => new PartSpec(PartKind.Reasoning, text, chunk, HasId: false, Name: string.Empty, Fragments: 1, signature))),
            (1, Opaque.Select(data => new PartSpec(PartKind.RedactedReasoning, string.Empty, 1, HasId: false, Name: string.Empty, Fragments: 1, data))),
            (4, Gen.Select(Text, Gen.Int[1, 12], Citations, (text, chunk, citations) => new PartSpec(PartKind.Text, text, chunk, HasId: false, Name: string.Empty, Fragments: 1, Opaque: null) { Citations = citations })),
            (2, Gen.Select(Arguments, Gen.Bool, Gen.OneOf("get_weather", "search", "f", "tool.with.dots"), Gen.Int[1, 6], (args, hasId, name, fragments) => new PartSpec(PartKind.ToolCall, args, 1, hasId, name, fragments, Opaque: null))),
        ];
        if (rendered.Count > 0)
        {
            parts.Add((2, Hosted.Where(part => rendered.Contains(part.Hosted!.Kind))));
        }

        return Gen.Frequency([.. parts]);
    }

    /// <summary>Input, output, cached and cache-creation input (parts of the input), reasoning (a part of the output).</summary>
    private static readonly Gen<FuzzUsage?> Usage = Gen.Select(Gen.Int[0, 200_000], Gen.Int[0, 200_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000])
        .Select(u => new FuzzUsage(u.Item1, u.Item2, Math.Min(u.Item3, u.Item1), u.Item4, Math.Min(u.Item5, u.Item1 - Math.Min(u.Item3, u.Item1))))
        .Null(0.3);

    private static readonly Gen<string?> Finish = Gen.OneOf<string?>(DefaultFinish, DefaultFinish, "stop", "length", "tool_calls", "content_filter", "my_own_reason", null);

    /// <summary>Returns the generator of valid scripts, with response ids in the style of <paramref name="wire"/> among others.</summary>
    public static Gen<FuzzScript> Scripts(WireFormat wire) => Gen.Select(
        Part(wire).Array[0, 6],
        Usage,
        Finish,
        Gen.OneOf("\n", "\r\n", "\r"),
        Gen.Bool,
        Gen.OneOf(wire.ResponseId("fuzz"), "id-😀-1", string.Empty),
        (parts, usage, finish, lineEnding, comments, id) => Build(wire, parts, usage, finish, lineEnding, comments, id));

    private static PartSpec HostedPart(HostedSpec spec, Action<EmulatorReply> script) =>
        new(PartKind.Hosted, string.Empty, 1, HasId: false, Name: string.Empty, Fragments: 1, Opaque: null) { Hosted = spec, Script = script };

    private static FuzzScript Build(WireFormat wire, PartSpec[] parts, FuzzUsage? usage, string? finish, string lineEnding, bool comments, string id)
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
        var citations = new List<string>();
        var (hostedCalls, hostedResults, approvals) = (0, 0, 0);
        var kept = new List<string>();
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
                    foreach (var citation in part.Citations)
                    {
                        _ = citation.Whole
                            ? reply.AddCitation(citation.Url, citation.Title, citation.CitedText, 0, part.Text.Length)
                            : reply.AddCitation(citation.Url, citation.Title, citation.CitedText);
                        citations.Add(citation.Url);
                    }

                    break;
                case PartKind.Hosted:
                    part.Script!(reply);
                    var expected = wire.ExpectHosted(part.Hosted!);
                    hostedCalls += expected.Calls;
                    hostedResults += expected.Results;
                    approvals += expected.Approvals;
                    kept.AddRange(expected.KeptTypes);
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

        return new FuzzScript(reply, text.ToString(), reasoning.ToString(), opaque, calls, usage, wireFinish)
        {
            Hosted = new ExpectedHosted(hostedCalls, hostedResults, approvals, kept),
            CitationUrls = citations,
        };
    }

    private enum PartKind
    {
        Reasoning,
        RedactedReasoning,
        Text,
        ToolCall,
        Hosted,
    }

    private sealed record PartSpec(PartKind Kind, string Text, int Chunk, bool HasId, string Name, int Fragments, string? Opaque)
    {
        /// <summary>Gets the citations of a text part.</summary>
        public IReadOnlyList<CitationSpec> Citations { get; init; } = [];

        /// <summary>Gets what a hosted part is.</summary>
        public HostedSpec? Hosted { get; init; }

        /// <summary>Gets the script call that adds a hosted part.</summary>
        public Action<EmulatorReply>? Script { get; init; }
    }

    private sealed record CitationSpec(string Url, string Title, string CitedText, bool Whole);
}
