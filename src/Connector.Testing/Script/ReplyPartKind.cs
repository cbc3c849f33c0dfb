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
}
