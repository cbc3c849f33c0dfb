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

    /// <summary>A <c>web_search_call</c> item.</summary>
    WebSearchCall,

    /// <summary>A <c>file_search_call</c> item.</summary>
    FileSearchCall,

    /// <summary>A <c>code_interpreter_call</c> item.</summary>
    CodeInterpreterCall,

    /// <summary>An <c>image_generation_call</c> item.</summary>
    ImageGenerationCall,

    /// <summary>An <c>mcp_call</c> item.</summary>
    McpCall,

    /// <summary>An <c>mcp_approval_request</c> item.</summary>
    McpApprovalRequest,

    /// <summary>An item of no kind the script knows, sent verbatim.</summary>
    Raw,

    /// <summary>Not an item: a <c>keepalive</c> event with a long filler field, between items.</summary>
    Padding,
}
