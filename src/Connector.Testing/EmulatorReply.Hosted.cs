// EmulatorReply: hosted (server-side) tool calls, citations, extra fields and unknown items kept verbatim.
using System.Text.Json;

namespace YuHuan.Connector.Testing;

public sealed partial class EmulatorReply
{
    /// <summary>
    /// Adds a server-side web search the model's server ran: the query and the pages it found, each with the opaque content
    /// a later turn must carry back.
    /// </summary>
    /// <remarks>
    /// <para>Messages sends a <c>server_tool_use</c> block <c>{"id","name":"web_search","input":{"query"}}</c> (streamed with
    /// <c>input: {}</c> at <c>content_block_start</c>, an empty <c>input_json_delta</c>, then the input), then a
    /// <c>web_search_tool_result</c> block <c>{"tool_use_id","content":[{"type":"web_search_result","url","title",
    /// "encrypted_content","page_age":null}]}</c> whole at <c>content_block_start</c>; a result without encrypted content
    /// has no <c>encrypted_content</c> field. Made-up ids are <c>srvtoolu_emu_1</c>, ….</para>
    /// <para>Responses sends a <c>web_search_call</c> item (<c>ws_emu_1</c>, …): <c>status: "in_progress"</c> at
    /// <c>response.output_item.added</c>, then <c>response.web_search_call.in_progress</c>, <c>.searching</c> and
    /// <c>.completed</c>, and the complete item <c>{"status":"completed","action":{"type":"search","query","sources":[{"type":"url","url"}]}}</c>
    /// at <c>response.output_item.done</c>; Responses has no field for titles or encrypted content.</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out; script <see cref="AddCitation"/> for the
    /// <c>url_citation</c> annotations its search models send.</para>
    /// </remarks>
    /// <param name="query">The search query.</param>
    /// <param name="results">The pages found: address, title and encrypted content (<see langword="null"/> for none).</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="results"/> is <see langword="null"/>, or a result's address or title is.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddWebSearch(string query, IEnumerable<(string Url, string Title, string? EncryptedContent)> results, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(results);
        var list = new List<ReplySearchResult>();
        foreach (var (url, title, encryptedContent) in results)
        {
            ArgumentNullException.ThrowIfNull(url, nameof(results));
            ArgumentNullException.ThrowIfNull(title, nameof(results));
            list.Add(new ReplySearchResult(url, title, encryptedContent));
        }

        EnsureScripted();
        _parts.Add(ReplyPart.WebSearchCall(callId, new ReplyWebSearch(query, list)));
        return this;
    }

    /// <summary>Adds a server-side fetch of one web page the model's server made: its address, title and text.</summary>
    /// <remarks>
    /// <para>Messages sends a <c>server_tool_use</c> block <c>{"id","name":"web_fetch","input":{"url"}}</c> (its input streamed
    /// in <c>input_json_delta</c>s), then a <c>web_fetch_tool_result</c> block whose <c>content</c> is
    /// <c>{"type":"web_fetch_result","url","content":{"type":"document","source":{"type":"text","media_type":"text/plain","data"},
    /// "title"},"retrieved_at"}</c>, whole at <c>content_block_start</c>. Made-up ids are <c>srvtoolu_emu_1</c>, ….</para>
    /// <para>Responses sends a <c>web_search_call</c> item (<c>ws_emu_1</c>, …) whose <c>action</c> is
    /// <c>{"type":"open_page","url"}</c>, with the events of a web search; it has no field for the page's title or text.</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out.</para>
    /// </remarks>
    /// <param name="url">The page address.</param>
    /// <param name="title">The page title.</param>
    /// <param name="text">The page's text.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/>, <paramref name="title"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddWebFetch(string url, string title, string text, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        EnsureScripted();
        _parts.Add(ReplyPart.WebFetchCall(callId, new ReplyWebFetch(url, title, text)));
        return this;
    }

    /// <summary>Adds a server-side search of the caller's files (vector stores) the model's server ran: the queries and the passages found.</summary>
    /// <remarks>
    /// <para>Responses sends a <c>file_search_call</c> item (<c>fs_emu_1</c>, …): <c>status: "in_progress"</c> and
    /// <c>results: null</c> at <c>response.output_item.added</c>, then <c>response.file_search_call.in_progress</c>,
    /// <c>.searching</c> and <c>.completed</c>, and the complete item <c>{"status":"completed","queries":[…],"results":[{"file_id",
    /// "filename","score","text","attributes":{}}]}</c> (<c>results: null</c> when none are scripted, as when the request did not
    /// include them).</para>
    /// <para>Messages and Chat Completions have no file search and leave the part out.</para>
    /// </remarks>
    /// <param name="queries">The queries searched for.</param>
    /// <param name="results">The passages found: file id, file name, passage and relevance score.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queries"/> or <paramref name="results"/> is <see langword="null"/>, or a query or a result's field is.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddFileSearch(IEnumerable<string> queries, IEnumerable<(string FileId, string Filename, string Text, double Score)> results, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(results);
        var queryList = new List<string>();
        foreach (var query in queries)
        {
            ArgumentNullException.ThrowIfNull(query, nameof(queries));
            queryList.Add(query);
        }

        var resultList = new List<ReplyFileSearchResult>();
        foreach (var (fileId, filename, text, score) in results)
        {
            ArgumentNullException.ThrowIfNull(fileId, nameof(results));
            ArgumentNullException.ThrowIfNull(filename, nameof(results));
            ArgumentNullException.ThrowIfNull(text, nameof(results));
            resultList.Add(new ReplyFileSearchResult(fileId, filename, text, score));
        }

        EnsureScripted();
        _parts.Add(ReplyPart.FileSearchCall(callId, new ReplyFileSearch(queryList, resultList)));
        return this;
    }

    /// <summary>Adds a server-side code execution the model's server ran: the code, and what running it printed.</summary>
    /// <remarks>
    /// <para>Messages sends a <c>server_tool_use</c> block <c>{"name":"code_execution","input":{"code"}}</c> (its input
    /// streamed in <c>input_json_delta</c>s), then a <c>code_execution_tool_result</c> block whose <c>content</c> is
    /// <c>{"type":"code_execution_result","stdout","stderr","return_code","content":[]}</c>. With <paramref name="bash"/>
    /// the call is <c>{"name":"bash_code_execution","input":{"command"}}</c> and the result a
    /// <c>bash_code_execution_tool_result</c> block holding a <c>bash_code_execution_result</c>, as the newer code execution
    /// tool sends them. Made-up ids are <c>srvtoolu_emu_1</c>, …; Messages has no field for images.</para>
    /// <para>Responses sends a <c>code_interpreter_call</c> item (<c>ci_emu_1</c>, …, in container <c>cntr_emu_1</c>, …):
    /// <c>code: ""</c> and <c>outputs: null</c> at <c>response.output_item.added</c>, then
    /// <c>response.code_interpreter_call.in_progress</c>, <c>response.code_interpreter_call_code.delta</c>s,
    /// <c>response.code_interpreter_call_code.done</c>, <c>response.code_interpreter_call.interpreting</c> and
    /// <c>.completed</c>; the complete item's <c>outputs</c> hold one <c>{"type":"logs","logs"}</c> entry with standard
    /// output and standard error joined (none when both are empty) and one <c>{"type":"image","url"}</c> per image. It has
    /// no field for the return code.</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out.</para>
    /// </remarks>
    /// <param name="code">The code, or the command line when <paramref name="bash"/> is set.</param>
    /// <param name="stdout">What the run wrote to standard output.</param>
    /// <param name="stderr">What the run wrote to standard error.</param>
    /// <param name="returnCode">The exit code of the run.</param>
    /// <param name="bash">Whether Messages sends it as a bash command rather than Python code.</param>
    /// <param name="imageUrls">The addresses of images the run produced, or <see langword="null"/> for none.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/>, <paramref name="stdout"/> or <paramref name="stderr"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddCodeExecution(string code, string stdout, string stderr = "", int returnCode = 0, bool bash = false, IEnumerable<string>? imageUrls = null, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        EnsureScripted();
        _parts.Add(ReplyPart.CodeExecutionCall(callId, new ReplyCodeExecution(code, stdout, stderr, returnCode, bash, [.. imageUrls ?? []])));
        return this;
    }

    /// <summary>Adds a call of a tool on a remote MCP server that the model's server made, and its result.</summary>
    /// <remarks>
    /// <para>Messages sends an <c>mcp_tool_use</c> block <c>{"id","name","server_name","input"}</c> (its input streamed in
    /// <c>input_json_delta</c>s), then, when there is a result, an <c>mcp_tool_result</c> block
    /// <c>{"tool_use_id","is_error","content":[{"type":"text","text"}]}</c>. Made-up ids are <c>mcptoolu_emu_1</c>, ….</para>
    /// <para>Responses sends an <c>mcp_call</c> item (<c>mcp_emu_1</c>, …) <c>{"status","server_label","name","arguments",
    /// "output","error"}</c>: <c>arguments: ""</c> at <c>response.output_item.added</c>, then
    /// <c>response.mcp_call.in_progress</c>, <c>response.mcp_call_arguments.delta</c>s, <c>response.mcp_call_arguments.done</c>
    /// and <c>response.mcp_call.completed</c> (<c>response.mcp_call.failed</c> and <c>status: "failed"</c> with the text as
    /// <c>error</c> when <paramref name="isError"/>).</para>
    /// <para>Chat Completions has no hosted tool calls and leaves the part out.</para>
    /// </remarks>
    /// <param name="server">The label (name) of the MCP server.</param>
    /// <param name="tool">The tool name.</param>
    /// <param name="argumentsJson">The arguments, a JSON object as text; Messages sends it parsed as <c>input</c>.</param>
    /// <param name="resultText">The tool's output, or <see langword="null"/> for a call without a result.</param>
    /// <param name="isError">Whether the output is an error the tool reported.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="server"/>, <paramref name="tool"/> or <paramref name="argumentsJson"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="argumentsJson"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddMcpCall(string server, string tool, string argumentsJson, string? resultText, bool isError = false, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(tool);
        EnsureJsonObject(argumentsJson, nameof(argumentsJson));
        EnsureScripted();
        _parts.Add(ReplyPart.McpToolCall(callId, new ReplyMcpCall(server, tool, argumentsJson, resultText, isError)));
        return this;
    }

    /// <summary>Adds a request that the caller approve a call of a tool on a remote MCP server before the server makes it.</summary>
    /// <remarks>
    /// <para>Responses sends an <c>mcp_approval_request</c> item <c>{"id","type":"mcp_approval_request","server_label","name",
    /// "arguments"}</c>, the same at <c>response.output_item.added</c> and <c>response.output_item.done</c>; the caller answers
    /// with an <c>mcp_approval_response</c> input item naming <paramref name="requestId"/>.</para>
    /// <para>Messages and Chat Completions have no approval requests and leave the part out.</para>
    /// </remarks>
    /// <param name="requestId">The approval request id, such as <c>mcpr_1</c>.</param>
    /// <param name="server">The label (name) of the MCP server.</param>
    /// <param name="tool">The tool name.</param>
    /// <param name="argumentsJson">The arguments, a JSON object as text.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requestId"/>, <paramref name="server"/>, <paramref name="tool"/> or <paramref name="argumentsJson"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="argumentsJson"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddMcpApprovalRequest(string requestId, string server, string tool, string argumentsJson)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(tool);
        EnsureJsonObject(argumentsJson, nameof(argumentsJson));
        EnsureScripted();
        _parts.Add(ReplyPart.McpApproval(requestId, new ReplyMcpCall(server, tool, argumentsJson, ResultText: null, IsError: false)));
        return this;
    }

    /// <summary>Adds a server-side image generation: partial images while it runs, then the final image.</summary>
    /// <remarks>
    /// <para>Responses sends an <c>image_generation_call</c> item (<c>ig_emu_1</c>, …): <c>result: null</c> at
    /// <c>response.output_item.added</c>, then <c>response.image_generation_call.in_progress</c> and <c>.generating</c>, one
    /// <c>response.image_generation_call.partial_image</c> <c>{"partial_image_index","partial_image_b64"}</c> per partial
    /// image, <c>response.image_generation_call.completed</c>, and the complete item
    /// <c>{"status":"completed","output_format":"png","result","revised_prompt"?}</c>.</para>
    /// <para>Messages and Chat Completions have no image generation and leave the part out.</para>
    /// </remarks>
    /// <param name="base64Png">The final image, base64-encoded.</param>
    /// <param name="partialImages">The partial images, base64-encoded, or <see langword="null"/> for none.</param>
    /// <param name="revisedPrompt">The prompt the server actually used, or <see langword="null"/> to send none.</param>
    /// <param name="callId">The call id, or <see langword="null"/> to let the emulator make one up.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="base64Png"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddImageGeneration(string base64Png, IEnumerable<string>? partialImages = null, string? revisedPrompt = null, string? callId = null)
    {
        ArgumentNullException.ThrowIfNull(base64Png);
        EnsureScripted();
        _parts.Add(ReplyPart.ImageGenerationCall(callId, new ReplyImageGeneration(base64Png, [.. partialImages ?? []], revisedPrompt)));
        return this;
    }

    /// <summary>Attaches a citation of a web page to the text part added just before it (by <see cref="AddText"/> or
    /// <see cref="AddPhasedText"/>); call it several times for several citations.</summary>
    /// <remarks>
    /// <para>Messages sends a <c>web_search_result_location</c> citation <c>{"type","cited_text","url","title",
    /// "encrypted_index"}</c> (no character positions): streamed as a <c>citations_delta</c> right after the text block's
    /// <c>content_block_start</c>, before its text, and in the block's <c>citations</c> array of a complete message.</para>
    /// <para>Responses sends a <c>url_citation</c> annotation <c>{"type","start_index","end_index","url","title"}</c> (no
    /// cited text): a <c>response.output_text.annotation.added</c> event (with <c>annotation_index</c>) after the part's
    /// text deltas, and in the <c>annotations</c> of the done content part and item.</para>
    /// <para>Chat Completions sends <c>{"type":"url_citation","url_citation":{"url","title","start_index","end_index"}}</c>
    /// in <c>annotations</c>: on a delta of its own after the part's last text piece, and on the complete message. Its
    /// indexes count in the message's whole <c>content</c>, so they are shifted by the length of the text parts before.</para>
    /// </remarks>
    /// <param name="url">The address of the cited page.</param>
    /// <param name="title">The title of the cited page.</param>
    /// <param name="citedText">The passage of the page the text relies on.</param>
    /// <param name="startIndex">The first character of the text part the citation covers, or <see langword="null"/> for the part's start.</param>
    /// <param name="endIndex">The character after the last one it covers, or <see langword="null"/> for the part's end.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/>, <paramref name="title"/> or <paramref name="citedText"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or past the text part's end, or the end comes before the start.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply, or the last part added is not text.</exception>
    public EmulatorReply AddCitation(string url, string title, string citedText, int? startIndex = null, int? endIndex = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(citedText);
        EnsureScripted();
        if (_parts.Count == 0 || _parts[^1].Kind != ReplyPartKind.Text)
        {
            throw new InvalidOperationException("A citation belongs to the text part added just before it: call AddText or AddPhasedText first.");
        }

        var text = _parts[^1].Text;
        var citation = new ReplyCitation(url, title, citedText, startIndex, endIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(citation.Start, nameof(startIndex));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(citation.End(text.Length), text.Length, nameof(endIndex));
        ArgumentOutOfRangeException.ThrowIfLessThan(citation.End(text.Length), citation.Start, nameof(endIndex));
        _parts[^1].Citations.Add(citation);
        return this;
    }

    /// <summary>
    /// Adds fields a client may not know (a programmatic call's <c>caller</c>, a gateway's own fields) to the block or item
    /// of the reasoning, text or tool call part added just before, sent verbatim wherever that block or item is written, so
    /// a client can be checked to keep them and carry them back.
    /// </summary>
    /// <remarks>
    /// <para>Messages writes them into the <c>thinking</c>, <c>text</c> or <c>tool_use</c> block, at
    /// <c>content_block_start</c> and in a complete message.</para>
    /// <para>Responses writes them into the <c>reasoning</c>, <c>message</c> or <c>function_call</c> item, at
    /// <c>response.output_item.added</c>, at <c>response.output_item.done</c> and in the response's <c>output</c>; text parts
    /// that share a message item all add theirs to it.</para>
    /// <para>Chat Completions writes those of a tool call into its <c>tool_calls</c> entry (the first delta of the call and
    /// the complete message) and has no place for those of reasoning or text, which it leaves out.</para>
    /// </remarks>
    /// <param name="json">A JSON object whose fields are added; a field named like one the block or item already has is
    /// written twice, as scripted.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply, or the last part added is not
    /// reasoning, text or a tool call.</exception>
    public EmulatorReply WithExtraFields(string json)
    {
        EnsureJsonObject(json, nameof(json));
        EnsureScripted();
        if (_parts.Count == 0 || _parts[^1].Kind is not (ReplyPartKind.Reasoning or ReplyPartKind.Text or ReplyPartKind.ToolCall))
        {
            throw new InvalidOperationException("Extra fields belong to the reasoning, text or tool call part added just before them: call AddReasoning, AddRawReasoning, AddText, AddPhasedText or AddToolCall first.");
        }

        _parts[^1].ExtraFields = json;
        return this;
    }

    /// <summary>
    /// Adds a block or item of a kind the script does not know (one a server sends that a client may not know either, such
    /// as <c>compaction</c>), sent verbatim in its place so a client can be checked to keep it and carry it back.
    /// </summary>
    /// <remarks>
    /// <para>Messages sends <paramref name="json"/> as a content block: whole at <c>content_block_start</c> (followed by
    /// <c>content_block_stop</c>, no deltas) and as an entry of a complete message's <c>content</c>.</para>
    /// <para>Responses sends it as an output item: the same at <c>response.output_item.added</c>, at
    /// <c>response.output_item.done</c> and in the response's <c>output</c>, with no events between.</para>
    /// <para>Chat Completions has no container for blocks or items and leaves the part out.</para>
    /// </remarks>
    /// <param name="json">The whole block or item, a JSON object with a <c>type</c>; sent as written.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddRawItem(string json)
    {
        EnsureJsonObject(json, nameof(json));
        EnsureScripted();
        _parts.Add(ReplyPart.Raw(json));
        return this;
    }

    private static void EnsureJsonObject(string json, string paramName)
    {
        ArgumentNullException.ThrowIfNull(json, paramName);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The value must be a JSON object: " + ex.Message, paramName, ex);
        }

        throw new ArgumentException("The value must be a JSON object.", paramName);
    }
}
