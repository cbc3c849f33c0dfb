namespace YuHuan.Connector.Tests.Messages;

/// <summary>Server tool, MCP and unknown blocks of Messages responses, complete as a non-streamed response holds them.</summary>
internal static class MessagesHostedBlocks
{
    public const string SearchId = "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE";

    public const string SearchUse = """{"type":"server_tool_use","id":"srvtoolu_01WYG3ziw53XMcoyKL4XcZmE","name":"web_search","input":{"query":"claude shannon birth date"}}""";

    public const string SearchResult = """{"type":"web_search_tool_result","tool_use_id":"srvtoolu_01WYG3ziw53XMcoyKL4XcZmE","content":[{"type":"web_search_result","url":"https://en.wikipedia.org/wiki/Claude_Shannon","title":"Claude Shannon - Wikipedia","encrypted_content":"EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5","page_age":"April 30, 2025"},{"type":"web_search_result","url":"https://www.britannica.com/biography/Claude-Shannon","title":"Claude Shannon | Britannica","encrypted_content":"EtIcCioIARgBIiQ0ZDk2","page_age":null}]}""";

    public const string Citation = """{"type":"web_search_result_location","url":"https://en.wikipedia.org/wiki/Claude_Shannon","title":"Claude Shannon - Wikipedia","encrypted_index":"Eo8BCioIAhgBIiQyYjQ0OWJmZi1l","cited_text":"Claude Elwood Shannon (April 30, 1916 – February 24, 2001) was an American mathematician"}""";

    public const string CharCitation = """{"type":"char_location","cited_text":"The grass is green.","document_index":0,"document_title":"Example Document","start_char_index":0,"end_char_index":20}""";

    public const string CitedText = "Claude Shannon was born on April 30, 1916, in Petoskey, Michigan";

    public const string CitedBlock = $$"""{"type":"text","text":"{{CitedText}}","citations":[{{Citation}},{{CharCitation}}]}""";

    public const string BashUse = """{"type":"server_tool_use","id":"srvtoolu_02","name":"bash_code_execution","input":{"command":"python -c 'print(2+2)'"}}""";

    public const string BashResult = """{"type":"bash_code_execution_tool_result","tool_use_id":"srvtoolu_02","content":{"type":"bash_code_execution_result","stdout":"4\n","stderr":"note: slow\n","return_code":0,"content":[{"type":"bash_code_execution_output","file_id":"file_011CNha8iCJcU1wXNR6q4V8w"}]}}""";

    public const string McpUse = """{"type":"mcp_tool_use","id":"mcptoolu_01","name":"echo","server_name":"example-mcp","input":{"message":"hi","times":2}}""";

    public const string McpResult = """{"type":"mcp_tool_result","tool_use_id":"mcptoolu_01","is_error":false,"content":[{"type":"text","text":"hi hi"}]}""";

    public const string Compaction = """{"type":"compaction","content":"Summary of the earlier turns.","encrypted_content":"enc-7f3a"}""";

    public const string Unknown = """{"type":"hologram","id":"holo_1","payload":{"depth":3,"layers":["a","b"]}}""";

    /// <summary>Every block, in the order of the fixtures' response, ending with plain text.</summary>
    public static readonly string[] Blocks = [SearchUse, SearchResult, CitedBlock, BashUse, BashResult, McpUse, McpResult, Compaction, Unknown, """{"type":"text","text":"Done."}"""];

    /// <summary>A complete <c>message</c> holding <see cref="All"/>.</summary>
    public static string Message() =>
        $$$"""{"id":"{{{MessagesSse.MessageId}}}","type":"message","role":"assistant","model":"{{{MessagesSse.Model}}}","content":[{{{string.Join(",", Blocks)}}}],"stop_reason":"end_turn","stop_sequence":null,"usage":""" + """{"input_tokens":10,"output_tokens":5,"server_tool_use":{"web_search_requests":1}}}""";

    /// <summary>The same blocks as stream events: inputs and the compaction's content as deltas, the citations as <c>citations_delta</c>s.</summary>
    public static string[] StreamEvents() =>
    [
        MessagesSse.BlockStart(0, """{"type":"server_tool_use","id":"srvtoolu_01WYG3ziw53XMcoyKL4XcZmE","name":"web_search","input":{}}"""),
        MessagesSse.InputJsonDelta(0, ""),
        MessagesSse.InputJsonDelta(0, "{\\\"query\\\": \\\"claude"),
        MessagesSse.InputJsonDelta(0, " shannon birth date\\\"}"),
        MessagesSse.BlockStop(0),
        MessagesSse.BlockStart(1, SearchResult),
        MessagesSse.BlockStop(1),
        MessagesSse.TextStart(2),
        MessagesSse.Delta(2, $$"""{"type":"citations_delta","citation":{{Citation}}}"""),
        MessagesSse.Delta(2, $$"""{"type":"citations_delta","citation":{{CharCitation}}}"""),
        MessagesSse.TextDelta(2, "Claude Shannon was born on "),
        MessagesSse.TextDelta(2, "April 30, 1916, in Petoskey, Michigan"),
        MessagesSse.BlockStop(2),
        MessagesSse.BlockStart(3, """{"type":"server_tool_use","id":"srvtoolu_02","name":"bash_code_execution","input":{}}"""),
        MessagesSse.InputJsonDelta(3, "{\\\"command\\\": \\\"python -c 'print(2+2)'\\\"}"),
        MessagesSse.BlockStop(3),
        MessagesSse.BlockStart(4, BashResult),
        MessagesSse.BlockStop(4),
        MessagesSse.BlockStart(5, """{"type":"mcp_tool_use","id":"mcptoolu_01","name":"echo","server_name":"example-mcp","input":{}}"""),
        MessagesSse.InputJsonDelta(5, "{\\\"message\\\":\\\"hi\\\",\\\"ti"),
        MessagesSse.InputJsonDelta(5, "mes\\\":2}"),
        MessagesSse.BlockStop(5),
        MessagesSse.BlockStart(6, McpResult),
        MessagesSse.BlockStop(6),
        MessagesSse.BlockStart(7, """{"type":"compaction","content":null}"""),
        MessagesSse.Delta(7, """{"type":"compaction_delta","content":"Summary of the earlier turns.","encrypted_content":"enc-7f3a"}"""),
        MessagesSse.BlockStop(7),
        MessagesSse.BlockStart(8, Unknown),
        MessagesSse.BlockStop(8),
        MessagesSse.TextStart(9),
        MessagesSse.TextDelta(9, "Do"),
        MessagesSse.TextDelta(9, "ne."),
        MessagesSse.BlockStop(9),
    ];
}
