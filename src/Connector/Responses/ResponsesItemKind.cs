namespace YuHuan.Connector.Responses;

/// <summary>The kinds of Responses output item the mapper tells apart; every other item type is <see cref="Other"/>.</summary>
internal enum ResponsesItemKind
{
    /// <summary>No <c>type</c> seen yet (an item known only from its deltas).</summary>
    Unknown,

    /// <summary>A <c>message</c>: <c>output_text</c> and <c>refusal</c> parts.</summary>
    Message,

    /// <summary>A <c>reasoning</c> item: <c>summary</c> and <c>reasoning_text</c> parts, <c>encrypted_content</c>.</summary>
    Reasoning,

    /// <summary>A <c>function_call</c>: the caller's function, <c>call_id</c>, <c>name</c> and <c>arguments</c>.</summary>
    FunctionCall,

    /// <summary>
    /// Any other item: a hosted tool's (<c>web_search_call</c>, <c>mcp_call</c>…, mapped to its hosted-tool content), or one
    /// with no Microsoft.Extensions.AI type (<c>compaction</c>, a custom tool call, a type that does not exist yet), kept as
    /// a plain <see cref="Microsoft.Extensions.AI.AIContent"/>. Either way its JSON is kept (see <see cref="Shared.WireItems"/>)
    /// and the next request sends it back verbatim.
    /// </summary>
    Other,
}
