namespace YuHuan.Connector.Testing;

/// <summary>The kind of content a <see cref="ReplyPart"/> carries.</summary>
internal enum ReplyPartKind
{
    /// <summary>Reasoning ("thinking") text.</summary>
    Reasoning,

    /// <summary>Reasoning the caller only gets as opaque, encrypted data.</summary>
    RedactedReasoning,

    /// <summary>Answer text.</summary>
    Text,

    /// <summary>A refusal: the model declines to answer, and says why.</summary>
    Refusal,

    /// <summary>A function tool call.</summary>
    ToolCall,

    /// <summary>An event that carries nothing but a long filler field, to exercise size limits.</summary>
    Padding,

    /// <summary>A server-side web search and its results.</summary>
    WebSearch,

    /// <summary>A server-side fetch of one web page and its content.</summary>
    WebFetch,

    /// <summary>A server-side search of the caller's files and its results.</summary>
    FileSearch,

    /// <summary>A server-side code execution and its output.</summary>
    CodeExecution,

    /// <summary>A call of a tool on a remote MCP server, made by the model's server, and its result.</summary>
    McpCall,

    /// <summary>A request that the caller approve an MCP tool call before the server makes it.</summary>
    McpApprovalRequest,

    /// <summary>A server-side image generation, with its partial images.</summary>
    ImageGeneration,

    /// <summary>A block or item of no kind the script knows, sent verbatim.</summary>
    RawItem,
}
