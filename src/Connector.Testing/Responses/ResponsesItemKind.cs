namespace YuHuan.Connector.Testing;

/// <summary>What one entry of a rendered Responses output is.</summary>
internal enum ResponsesItemKind
{
    /// <summary>A <c>message</c> item: text and refusal parts of one phase.</summary>
    Message,

    /// <summary>A <c>reasoning</c> item: summarized, raw or redacted reasoning.</summary>
    Reasoning,

    /// <summary>A <c>function_call</c> item.</summary>
    FunctionCall,

    /// <summary>Not an item: a <c>keepalive</c> event with a long filler field, between items.</summary>
    Padding,
}
