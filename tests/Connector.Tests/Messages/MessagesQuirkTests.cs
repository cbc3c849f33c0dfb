using Microsoft.Extensions.AI;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>What recorded streams of real Messages servers show (PROTOCOLS.md §2), each case across the delivery matrix.</summary>
public sealed class MessagesQuirkTests
{
    public static TheoryData<string, int> Deliveries => MessagesSse.Deliveries;

    /// <summary>
    /// Server-side blocks other than <c>server_tool_use</c> and <c>web_search_tool_result</c> (which have their own case):
    /// the block type, the block's other fields, whether input deltas follow.
    /// </summary>
    public static TheoryData<string, string, bool, string, int> ServerSideBlocks
    {
        get
        {
            (string Name, string Block, bool HasInputDeltas)[] blocks =
            [
                ("web_fetch_tool_result", """{"tool_use_id":"srvtoolu_2","content":{"type":"web_fetch_result","url":"https://example.com/","content":{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Example"}},"retrieved_at":"2025-08-25T10:30:00Z"}}""", false),
                ("code_execution_tool_result", """{"tool_use_id":"srvtoolu_3","content":{"type":"code_execution_result","stdout":"4\n","stderr":"","return_code":0,"content":[]}}""", false),
                ("bash_code_execution_tool_result", """{"tool_use_id":"srvtoolu_4","content":{"type":"bash_code_execution_result","stdout":"ok","stderr":"","return_code":0,"content":[]}}""", false),
                ("text_editor_code_execution_tool_result", """{"tool_use_id":"srvtoolu_5","content":{"type":"text_editor_code_execution_view_result","file_type":"text","content":"line","num_lines":1,"start_line":1,"total_lines":1}}""", false),
                ("tool_search_tool_result", """{"tool_use_id":"srvtoolu_6","content":{"type":"tool_search_tool_search_result","tool_references":[{"type":"tool_reference","tool_name":"get_weather"}]}}""", false),
                ("mcp_tool_use", """{"id":"mcptoolu_7","name":"echo","server_name":"example-mcp","input":{}}""", true),
                ("mcp_tool_result", """{"tool_use_id":"mcptoolu_7","is_error":false,"content":[{"type":"text","text":"echoed"}]}""", false),
                ("container_upload", """{"file_id":"file_011CNha8iCJcU1wXNR6q4V8w"}""", false),
            ];
            var data = new TheoryData<string, string, bool, string, int>();
            foreach (var (name, block, hasInputDeltas) in blocks)
            {
                foreach (var delivery in MessagesSse.Deliveries)
                {
                    data.Add(name, block, hasInputDeltas, (string)delivery[0], (int)delivery[1]);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ThinkingStartedWithoutSignatureField_SignatureFromDeltaOnLastPiece(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            ThinkingStart(0, withSignatureField: false),
            ThinkingDelta(0, "plan"),
            ThinkingDelta(0, " more"),
            SignatureDelta(0, "c2lnLW9ubHktaW4tZGVsdGE="),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "done"),
            BlockStop(1));

        var updates = await CollectAsync(sse, chunk);

        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal("c2lnLW9ubHktaW4tZGVsdGE=", reasoning[^1].ProtectedData);
        Assert.Equal(string.Empty, reasoning[^1].Text);
        Assert.All(reasoning.SkipLast(1), r => Assert.Null(r.ProtectedData));
        var merged = Assert.Single(updates.ToChatResponse().Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal("plan more", merged.Text);
        Assert.Equal("c2lnLW9ubHktaW4tZGVsdGE=", merged.ProtectedData);
        Assert.Equal("done", updates.ToChatResponse().Text);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ThinkingWithOnlySignature_ReasoningWithProtectedDataAndNoText(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            ThinkingStart(0),
            SignatureDelta(0, "b25seS1hLXNpZ25hdHVyZQ=="),
            BlockStop(0),
            ThinkingStart(1, withSignatureField: false),
            SignatureDelta(1, "c2Vjb25k"),
            BlockStop(1),
            TextStart(2),
            TextDelta(2, "answer"),
            BlockStop(2));

        var updates = await CollectAsync(sse, chunk);

        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal(2, reasoning.Count);
        Assert.All(reasoning, r => Assert.Equal(string.Empty, r.Text));
        Assert.Equal(["b25seS1hLXNpZ25hdHVyZQ==", "c2Vjb25k"], reasoning.Select(r => r.ProtectedData));
        var merged = updates.ToChatResponse().Messages[0].Contents.OfType<TextReasoningContent>().ToList();
        Assert.Equal(["b25seS1hLXNpZ25hdHVyZQ==", "c2Vjb25k"], merged.Select(r => r.ProtectedData));
        Assert.Equal("answer", string.Concat(updates.Select(u => u.Text)));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ServerToolUseAndWebSearchResult_NoFunctionCallAndTextAroundArrives(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            MessageStart(),
            TextStart(0),
            TextDelta(0, "Let me search. "),
            BlockStop(0),
            BlockStart(1, """{"type":"server_tool_use","id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","name":"web_search","input":{}}"""),
            InputJsonDelta(1, string.Empty),
            InputJsonDelta(1, "{\\\"query\\\": \\\"weather"),
            InputJsonDelta(1, " Paris\\\"}"),
            BlockStop(1),
            BlockStart(2, """{"type":"web_search_tool_result","tool_use_id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","content":[{"type":"web_search_result","title":"Paris weather","url":"https://example.com/paris","encrypted_content":"EqgfCioIARgBIiQ3YTA","page_age":"1 day"}]}"""),
            BlockStop(2),
            TextStart(3),
            Delta(3, """{"type":"citations_delta","citation":{"type":"web_search_result_location","cited_text":"Sunny, 24°C","url":"https://example.com/paris","title":"Paris weather","encrypted_index":"Eo8BCioIAhgB"}}"""),
            TextDelta(3, "It is sunny."),
            BlockStop(3),
            MessageDelta("end_turn", """{"input_tokens":10,"output_tokens":40,"server_tool_use":{"web_search_requests":1}}"""),
            MessageStop);

        var updates = await CollectAsync(sse, chunk);

        Assert.Empty(All<FunctionCallContent>(updates));
        Assert.Equal("Let me search. It is sunny.", string.Concat(updates.Select(u => u.Text)));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(40, response.Usage!.OutputTokenCount);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(ServerSideBlocks))]
    public async Task GetStreamingResponseAsync_ServerSideBlock_NeverAFunctionCallNorAFailure(string type, string fields, bool hasInputDeltas, string eol, int chunk)
    {
        var block = $$"""{"type":"{{type}}",""" + fields[1..];
        string[] input = hasInputDeltas ? [InputJsonDelta(1, "{\\\"text\\\":"), InputJsonDelta(1, "\\\"hi\\\"}")] : [];
        var sse = Message(eol, "end_turn", [TextStart(0), TextDelta(0, "before "), BlockStop(0), BlockStart(1, block), .. input, BlockStop(1), TextStart(2), TextDelta(2, "after"), BlockStop(2)]);

        var updates = await CollectAsync(sse, chunk);

        Assert.Empty(All<FunctionCallContent>(updates));
        Assert.Equal("before after", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_CitationsDeltasOfEveryKind_TextUnaffected(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            TextStart(0),
            TextDelta(0, "According to the sources, "),
            Delta(0, """{"type":"citations_delta","citation":{"type":"web_search_result_location","cited_text":"a","url":"https://example.com/a","title":"A","encrypted_index":"x"}}"""),
            Delta(0, """{"type":"citations_delta","citation":{"type":"char_location","cited_text":"b","document_index":0,"document_title":"Doc","start_char_index":0,"end_char_index":1}}"""),
            Delta(0, """{"type":"citations_delta","citation":{"type":"page_location","cited_text":"c","document_index":1,"document_title":null,"start_page_number":1,"end_page_number":2}}"""),
            Delta(0, """{"type":"citations_delta","citation":{"type":"content_block_location","cited_text":"d","document_index":2,"start_block_index":0,"end_block_index":1}}"""),
            Delta(0, """{"type":"citations_delta","citation":{"type":"search_result_location","cited_text":"e","source":"https://example.com/e","title":"E","search_result_index":0,"start_block_index":0,"end_block_index":0}}"""),
            TextDelta(0, "it works."),
            BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        Assert.Equal("According to the sources, it works.", string.Concat(All<TextContent>(updates).Select(t => t.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_UnannouncedBlockTypes_SkippedWithoutFailing(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            BlockStart(0, """{"type":"compaction","content":null}"""),
            Delta(0, """{"type":"compaction_delta","content":"Summary of the earlier turns."}"""),
            Delta(0, """{"type":"compaction_delta","content":null}"""),
            BlockStop(0),
            BlockStart(1, """{"type":"fallback","reason":"model_unavailable","model":"claude-other","details":{"x":[1,2]}}"""),
            BlockStop(1),
            TextStart(2),
            Delta(2, """{"type":"future_delta","payload":{"a":1}}"""),
            TextDelta(2, "still here"),
            BlockStop(2));

        var updates = await CollectAsync(sse, chunk);

        Assert.Equal("still here", string.Concat(updates.Select(u => u.Text)));
        Assert.Empty(All<FunctionCallContent>(updates));
        Assert.Empty(All<TextReasoningContent>(updates));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_UnknownEventType_Ignored(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            """{"type":"message_annotation","annotation":{"kind":"future"}}""",
            TextStart(0),
            TextDelta(0, "fine"),
            BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        Assert.Equal("fine", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_PrefilledMessageStartThenMessageStop_OneCallAndToolCallsFinish(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            """{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-test-1","content":[{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{"city":"Paris","days":2},"caller":{"type":"direct"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":30}}}""",
            Ping,
            MessageStop);

        var updates = await CollectAsync(sse, chunk);

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("toolu_01T1x1fJ34qAmk2tNTrN7Up6", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Null(call.Exception);
        Assert.Equal("Paris", Argument(call, "city").GetString());
        Assert.Equal(2, Argument(call, "days").GetInt32());
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.ToolCalls);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ToolInputWholeInBlockStartWithoutDeltas_IsHonoured(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "tool_use",
            ToolUseStart(0, "toolu_whole", "get_weather", """{"city":"Lisbon","unit":"celsius","nested":{"a":[1,2]}}"""),
            BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("toolu_whole", call.CallId);
        Assert.Null(call.Exception);
        Assert.Equal("Lisbon", Argument(call, "city").GetString());
        Assert.Equal("celsius", Argument(call, "unit").GetString());
        Assert.Equal(2, Argument(call, "nested").GetProperty("a").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_AllPartialJsonEmpty_EmptyArguments(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "tool_use",
            ToolUseStart(0, "toolu_noargs", "get_time"),
            InputJsonDelta(0, string.Empty),
            InputJsonDelta(0, string.Empty),
            BlockStop(0),
            ToolUseStart(1, "toolu_nodeltas", "get_date"),
            BlockStop(1));

        var updates = await CollectAsync(sse, chunk);

        var calls = All<FunctionCallContent>(updates);
        Assert.Equal(["toolu_noargs", "toolu_nodeltas"], calls.Select(c => c.CallId));
        Assert.All(calls, c =>
        {
            Assert.Null(c.Exception);
            Assert.NotNull(c.Arguments);
            Assert.Empty(c.Arguments);
        });
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_DeltaUsageWithInputAndCacheFields_ReplacesStartCounts(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            MessageStart(usage: """{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}"""),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("end_turn", """{"input_tokens":50,"cache_creation_input_tokens":10,"cache_read_input_tokens":20,"output_tokens":30,"server_tool_use":null}"""),
            MessageStop);

        var updates = await CollectAsync(sse, chunk);

        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(80, usage.InputTokenCount);
        Assert.Equal(20, usage.CachedInputTokenCount);
        Assert.Equal(30, usage.OutputTokenCount);
        Assert.Equal(110, usage.TotalTokenCount);
        Assert.Equal(10, usage.AdditionalCounts!["cache_creation_input_tokens"]);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_DeltaUsageOnlyOutputWithPartialServerToolCounters_KeepsStartCounts(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            MessageStart(usage: """{"input_tokens":100,"cache_creation_input_tokens":8,"cache_read_input_tokens":4,"output_tokens":1,"server_tool_use":{}}"""),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("end_turn", """{"output_tokens":25,"server_tool_use":{"web_search_requests":1}}"""),
            MessageStop);

        var updates = await CollectAsync(sse, chunk);

        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(112, usage.InputTokenCount);
        Assert.Equal(4, usage.CachedInputTokenCount);
        Assert.Equal(25, usage.OutputTokenCount);
        Assert.Equal(137, usage.TotalTokenCount);
        Assert.Equal(8, usage.AdditionalCounts!["cache_creation_input_tokens"]);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_RepeatedMessageStartWithSameId_IsAHarmlessDuplicate(string eol, int chunk)
    {
        string[] events = [MessageStart(), TextStart(0), TextDelta(0, "one "), TextDelta(0, "two"), BlockStop(0), MessageDelta("end_turn", """{"output_tokens":4}"""), MessageStop];
        string[] duplicated = [events[0], events[0], events[1], events[2], events[0], events[3], events[4], events[5], events[6]];

        var clean = await CollectAsync(Stream(eol, events), chunk);
        var updates = await CollectAsync(Stream(eol, duplicated), chunk);

        Assert.Equal(clean.Count, updates.Count);
        Assert.Equal("one two", string.Concat(updates.Select(u => u.Text)));
        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(10, usage.InputTokenCount);
        Assert.Equal(4, usage.OutputTokenCount);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_MessageStartWithAnotherIdWhileOpen_ThrowsInvalidResponse(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            MessageStart(),
            TextStart(0),
            TextDelta(0, "first "),
            MessageStart(id: "msg_02OtherResponse"),
            TextStart(0),
            TextDelta(0, "second"),
            BlockStop(0),
            MessageDelta("end_turn"),
            MessageStop);

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal("first ", string.Concat(received.Select(u => u.Text)));
        AssertIdentity(received);
        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Null(failure.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ContainerObjects_Ignored(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            """{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-test-1","container":{"id":"container_011CQUVXQ6Lc7Cn3hbvKVDH2","expires_at":"2025-06-25T10:30:00Z","skills":[{"type":"anthropic","skill_id":"pdf"}]},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}""",
            TextStart(0),
            TextDelta(0, "ran it"),
            BlockStop(0),
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null,"container":{"id":"container_011CQUVXQ6Lc7Cn3hbvKVDH2","expires_at":"2025-06-25T11:30:00Z"}},"usage":{"output_tokens":7}}""",
            MessageStop);

        var updates = await CollectAsync(sse, chunk);

        Assert.Equal("ran it", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
        Assert.Equal(10, Assert.Single(All<UsageContent>(updates)).Details.TotalTokenCount);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_PingBetweenEveryTwoEventsAndInsideBlocks_Ignored(string eol, int chunk)
    {
        string[] events = [MessageStart(), ToolUseStart(0, "toolu_p", "f"), InputJsonDelta(0, "{\\\"a\\\":"), InputJsonDelta(0, "1}"), BlockStop(0), MessageDelta("tool_use"), MessageStop];
        var pinged = events.SelectMany((e, i) => i == 0 ? new[] { e } : [Ping, Ping, e]).ToArray();

        var clean = await CollectAsync(Stream(eol, events), chunk);
        var updates = await CollectAsync(Stream(eol, pinged), chunk);

        Assert.Equal(clean.Count, updates.Count);
        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("toolu_p", call.CallId);
        Assert.Equal(1, Argument(call, "a").GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_RefusalWithNoContentAtAll_SucceedsWithContentFilter(string eol, int chunk)
    {
        var sse = Stream(eol, MessageStart(), MessageDelta("refusal", """{"output_tokens":0}"""), MessageStop);

        var updates = await CollectAsync(sse, chunk);

        Assert.Empty(All<TextContent>(updates));
        Assert.Empty(All<FunctionCallContent>(updates));
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.ContentFilter);
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal(MessageId, response.ResponseId);
        Assert.Equal(10, response.Usage!.InputTokenCount);
        AssertIdentity(updates);
    }
}
