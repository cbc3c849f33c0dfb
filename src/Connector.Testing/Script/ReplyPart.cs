namespace YuHuan.Connector.Testing;

/// <summary>
/// One protocol-neutral content part of a scripted reply: reasoning (readable or redacted), text, a refusal, a tool
/// call or padding, already split into the pieces a stream delivers.
/// </summary>
internal sealed class ReplyPart
{
    private ReplyPart(ReplyPartKind kind, string text, IReadOnlyList<string> pieces, string? callId, string? name, long paddingBytes = 0, string? signature = null)
    {
        Kind = kind;
        Signature = signature;
        Text = text;
        Pieces = pieces;
        CallId = callId;
        Name = name;
        PaddingBytes = paddingBytes;
    }

    /// <summary>Gets the kind of the part.</summary>
    public ReplyPartKind Kind { get; }

    /// <summary>Gets the whole text: reasoning, answer text, a tool call's arguments JSON, or the opaque data of
    /// redacted reasoning.</summary>
    public string Text { get; }

    /// <summary>Gets the pieces <see cref="Text"/> is streamed in; concatenated they equal <see cref="Text"/>.</summary>
    public IReadOnlyList<string> Pieces { get; }

    /// <summary>Gets the tool call id, or <see langword="null"/> when the call is sent without one.</summary>
    public string? CallId { get; }

    /// <summary>Gets the tool (function) name of a tool call, or the tool of an MCP call or approval request; each protocol
    /// names its hosted tools itself.</summary>
    public string? Name { get; }

    /// <summary>Gets the signature that protects a reasoning part, or <see langword="null"/> when none was scripted.</summary>
    public string? Signature { get; }

    /// <summary>Gets the number of filler bytes of a padding part.</summary>
    public long PaddingBytes { get; }

    /// <summary>Gets the phase of a text part (<c>commentary</c>, <c>final_answer</c>), or <see langword="null"/> for none;
    /// only protocols whose messages carry a phase send it.</summary>
    public string? Phase { get; private init; }

    /// <summary>Gets a value indicating whether a reasoning part is the model's raw reasoning text rather than a summary of
    /// it; only protocols that tell the two apart render it differently.</summary>
    public bool IsRaw { get; private init; }

    /// <summary>Gets or sets fields a client may not know, as a JSON object, written into the part's block or item
    /// as they are; <see langword="null"/> for none.</summary>
    public string? ExtraFields { get; set; }

    /// <summary>Gets the citations of a text part, in the order they were scripted; empty for any other part.</summary>
    public List<ReplyCitation> Citations { get; } = [];

    /// <summary>Gets the search of a web search part.</summary>
    public ReplyWebSearch? WebSearch { get; private init; }

    /// <summary>Gets the page of a web fetch part.</summary>
    public ReplyWebFetch? WebFetch { get; private init; }

    /// <summary>Gets the search of a file search part.</summary>
    public ReplyFileSearch? FileSearch { get; private init; }

    /// <summary>Gets the run of a code execution part.</summary>
    public ReplyCodeExecution? CodeExecution { get; private init; }

    /// <summary>Gets the call of an MCP call or approval request part.</summary>
    public ReplyMcpCall? Mcp { get; private init; }

    /// <summary>Gets the image of an image generation part.</summary>
    public ReplyImageGeneration? Image { get; private init; }

    /// <summary>Creates a reasoning part, with the signature that protects it when one is given.</summary>
    public static ReplyPart Reasoning(string text, IReadOnlyList<string> pieces, string? signature = null) =>
        new(ReplyPartKind.Reasoning, text, pieces, callId: null, name: null, signature: signature);

    /// <summary>Creates a raw reasoning part: the model's own reasoning text, with the signature that protects it when one is given.</summary>
    public static ReplyPart RawReasoning(string text, IReadOnlyList<string> pieces, string? signature = null) =>
        new(ReplyPartKind.Reasoning, text, pieces, callId: null, name: null, signature: signature) { IsRaw = true };

    /// <summary>Creates a redacted reasoning part: reasoning the caller only gets as opaque <paramref name="data"/>.</summary>
    public static ReplyPart RedactedReasoning(string data) =>
        new(ReplyPartKind.RedactedReasoning, data, [], callId: null, name: null);

    /// <summary>Creates a text part.</summary>
    public static ReplyPart AnswerText(string text, IReadOnlyList<string> pieces, string? phase = null) =>
        new(ReplyPartKind.Text, text, pieces, callId: null, name: null) { Phase = phase };

    /// <summary>Creates a refusal part: the model's explanation of why it declines to answer.</summary>
    public static ReplyPart Refusal(string text, IReadOnlyList<string> pieces) =>
        new(ReplyPartKind.Refusal, text, pieces, callId: null, name: null);

    /// <summary>Creates a padding part: one event holding <paramref name="bytes"/> filler bytes.</summary>
    public static ReplyPart Padding(long bytes) =>
        new(ReplyPartKind.Padding, string.Empty, [], callId: null, name: null, bytes);

    /// <summary>Creates a tool call part.</summary>
    public static ReplyPart ToolCall(string? callId, string name, string argumentsJson, IReadOnlyList<string> argumentPieces) =>
        new(ReplyPartKind.ToolCall, argumentsJson, argumentPieces, callId, name);

    /// <summary>Creates a web search part; <paramref name="callId"/> <see langword="null"/> lets each protocol make one up.</summary>
    public static ReplyPart WebSearchCall(string? callId, ReplyWebSearch search) =>
        new(ReplyPartKind.WebSearch, search.Query, [], callId, name: null) { WebSearch = search };

    /// <summary>Creates a web fetch part; <paramref name="callId"/> <see langword="null"/> lets each protocol make one up.</summary>
    public static ReplyPart WebFetchCall(string? callId, ReplyWebFetch page) =>
        new(ReplyPartKind.WebFetch, page.Url, [], callId, name: null) { WebFetch = page };

    /// <summary>Creates a file search part; <paramref name="callId"/> <see langword="null"/> lets each protocol make one up.</summary>
    public static ReplyPart FileSearchCall(string? callId, ReplyFileSearch search) =>
        new(ReplyPartKind.FileSearch, string.Join('\n', search.Queries), [], callId, name: null) { FileSearch = search };

    /// <summary>Creates a code execution part; <paramref name="callId"/> <see langword="null"/> lets each protocol make one up.</summary>
    public static ReplyPart CodeExecutionCall(string? callId, ReplyCodeExecution run) =>
        new(ReplyPartKind.CodeExecution, run.Code, TextChunker.IntoParts(run.Code, 2), callId, name: null) { CodeExecution = run };

    /// <summary>Creates an MCP call part; <paramref name="callId"/> <see langword="null"/> lets each protocol make one up.</summary>
    public static ReplyPart McpToolCall(string? callId, ReplyMcpCall call) =>
        new(ReplyPartKind.McpCall, call.ArgumentsJson, TextChunker.IntoParts(call.ArgumentsJson, 2), callId, call.Tool) { Mcp = call };

    /// <summary>Creates an MCP approval request part with the request's id.</summary>
    public static ReplyPart McpApproval(string requestId, ReplyMcpCall call) =>
        new(ReplyPartKind.McpApprovalRequest, call.ArgumentsJson, [], requestId, call.Tool) { Mcp = call };

    /// <summary>Creates an image generation part; <paramref name="callId"/> <see langword="null"/> lets each protocol make one up.</summary>
    public static ReplyPart ImageGenerationCall(string? callId, ReplyImageGeneration image) =>
        new(ReplyPartKind.ImageGeneration, image.ResultBase64, [], callId, name: null) { Image = image };

    /// <summary>Writes the <see cref="ExtraFields"/> of the part, if any, into the object <paramref name="w"/> is writing.</summary>
    public void WriteExtraFields(System.Text.Json.Utf8JsonWriter w)
    {
        if (ExtraFields is null)
        {
            return;
        }

        using var document = System.Text.Json.JsonDocument.Parse(ExtraFields);
        foreach (var field in document.RootElement.EnumerateObject())
        {
            field.WriteTo(w);
        }
    }

    /// <summary>Creates a part sent verbatim: <paramref name="json"/> is a whole block or item.</summary>
    public static ReplyPart Raw(string json) =>
        new(ReplyPartKind.RawItem, json, [], callId: null, name: null);
}
