namespace YuHuan.Connector.Messages;

/// <summary>The kinds of Messages content block the mapper tells apart; every other block type is <see cref="Other"/>.</summary>
internal enum MessagesBlockKind
{
    /// <summary>
    /// Any other block: a server tool's use or result, an MCP block, or a type the library does not know (<c>compaction</c>),
    /// kept as it came (see <see cref="MessagesBlockBuilder"/>, <see cref="MessagesServerBlocks"/>).
    /// </summary>
    Other,

    /// <summary>A <c>text</c> block: answer text, with citations.</summary>
    Text,

    /// <summary>A <c>thinking</c> block: reasoning, and its signature.</summary>
    Thinking,

    /// <summary>A <c>redacted_thinking</c> block: encrypted reasoning.</summary>
    RedactedThinking,

    /// <summary>A <c>tool_use</c> block: a call of the caller's function.</summary>
    ToolUse,
}
