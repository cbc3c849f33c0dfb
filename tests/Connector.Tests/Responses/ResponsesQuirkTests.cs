using Microsoft.Extensions.AI;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>What recorded streams of real Responses servers show (PROTOCOLS.md §3), one case each.</summary>
public sealed class ResponsesQuirkTests
{
    /// <summary>Hosted-tool items with an event of their family each: the item type, the item, the event.</summary>
    public static TheoryData<string, string, string> HostedToolItems => new()
    {
        { "web_search_call", """{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"weather"}}""", """{"type":"response.web_search_call.searching","output_index":1,"item_id":"ws_1"}""" },
        { "file_search_call", """{"id":"fs_1","type":"file_search_call","status":"completed","queries":["q"],"results":null}""", """{"type":"response.file_search_call.in_progress","output_index":1,"item_id":"fs_1"}""" },
        { "code_interpreter_call", """{"id":"ci_1","type":"code_interpreter_call","status":"completed","code":"print(1)","container_id":"cntr_1","outputs":[{"type":"logs","logs":"1"}]}""", """{"type":"response.code_interpreter_call_code.delta","output_index":1,"item_id":"ci_1","delta":"print("}""" },
        { "image_generation_call", """{"id":"ig_1","type":"image_generation_call","status":"completed","result":"iVBORw0KGgo="}""", """{"type":"response.image_generation_call.partial_image","output_index":1,"item_id":"ig_1","partial_image_index":0,"partial_image_b64":"iVBORw0KGgo="}""" },
        { "mcp_call", """{"id":"mcp_1","type":"mcp_call","name":"echo","server_label":"x","arguments":"{}","output":"ok"}""", """{"type":"response.mcp_call_arguments.delta","output_index":1,"item_id":"mcp_1","delta":"{}"}""" },
        { "mcp_list_tools", """{"id":"mcpl_1","type":"mcp_list_tools","server_label":"x","tools":[{"name":"echo","input_schema":{}}]}""", """{"type":"response.mcp_list_tools.completed","output_index":1,"item_id":"mcpl_1"}""" },
        { "mcp_approval_request", """{"id":"mcpr_1","type":"mcp_approval_request","name":"echo","server_label":"x","arguments":"{}"}""", """{"type":"response.mcp_call.in_progress","output_index":1,"item_id":"mcpr_1"}""" },
        { "local_shell_call", """{"id":"lsh_1","type":"local_shell_call","call_id":"call_sh","status":"completed","action":{"type":"exec","command":["ls"]}}""", """{"type":"response.local_shell_call.in_progress","output_index":1,"item_id":"lsh_1"}""" },
        { "shell_call", """{"id":"sh_1","type":"shell_call","call_id":"call_sh2","status":"completed","action":{"commands":["ls"]}}""", """{"type":"response.shell_call_command.added","output_index":1,"item_id":"sh_1"}""" },
        { "apply_patch_call", """{"id":"ap_1","type":"apply_patch_call","call_id":"call_ap","status":"completed","operation":{"type":"update_file","path":"a.txt","diff":"-a\n+b"}}""", """{"type":"response.apply_patch_call_operation_diff.delta","output_index":1,"item_id":"ap_1","delta":"-a"}""" },
        { "custom_tool_call", """{"id":"ctc_1","type":"custom_tool_call","call_id":"call_ct","name":"grammar","input":"x + y"}""", """{"type":"response.custom_tool_call_input.delta","output_index":1,"item_id":"ctc_1","delta":"x +"}""" },
        { "tool_search_call", """{"id":"ts_1","type":"tool_search_call","status":"completed","query":"weather"}""", """{"type":"response.tool_search_call.in_progress","output_index":1,"item_id":"ts_1"}""" },
        { "compaction", """{"id":"cmp_1","type":"compaction","encrypted_content":"Y29tcGFjdGVk"}""", """{"type":"response.compaction.in_progress","output_index":1,"item_id":"cmp_1"}""" },
    };

    [Fact]
    public void OnEvent_ItemIdsRotatePerEvent_CorrelatedByOutputIndex()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_a")),
            TextDelta(0, "msg_b", "One "),
            TextDelta(0, "msg_c", "two"),
            Done(0, MessageItem("msg_d", "completed", $"[{OutputText("One two")}]")),
            Added(1, FunctionCallItem("fc_a", "call_1", "add")),
            ArgumentsDelta(1, "fc_b", "{\\\"x\\\":"),
            ArgumentsDelta(1, "fc_c", "1}"),
            Done(1, FunctionCallItem("fc_d", "call_1", "add", status: "completed")),
            Completed());

        Assert.Equal("One two", updates.ToChatResponse().Text);
        Assert.Single(updates.ToChatResponse().Messages);
        Assert.All(updates, u => Assert.Equal(ResponseId, u.MessageId));
        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal(1, Argument(call, "x").GetInt32());
    }

    [Fact]
    public void OnEvent_ResponseIdRotatesAfterCreated_FirstIdOnEveryUpdate()
    {
        var updates = Feed(
            NewMapper(),
            Created("resp_one"),
            InProgress("resp_two"),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Hi"),
            Completed(id: "resp_three"));

        AssertIdentity(updates, "resp_one");
        Assert.Equal("resp_three", updates[^1].ConversationId);
    }

    [Fact]
    public void OnEvent_TypeNotFirstAndNoEventLine_Mapped()
    {
        var updates = Feed(
            NewMapper(),
            eventLines: false,
            $$"""{"response":{{ResponseObject()}},"sequence_number":0,"type":"response.created"}""",
            """{"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"},"type":"response.output_item.added"}""",
            """{"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Late type","type":"response.output_text.delta"}""",
            $$"""{"response":{{ResponseObject(status: "completed", usage: Usage)}},"type":"response.completed"}""");

        Assert.Equal("Late type", updates.ToChatResponse().Text);
        AssertIdentity(updates);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_NoSequenceNumbers_MappedButOfferedNoContinuation()
    {
        // Without a position a resumed stream would start over and repeat what was read: no token is offered.
        var mapper = NewMapper(background: true);
        var updates = Push(mapper, Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"));

        Assert.Equal("Hi", updates.ToChatResponse().Text);
        Assert.Null(mapper.Continuation);
#pragma warning disable MEAI001 // ContinuationToken is experimental.
        Assert.All(updates, u => Assert.Null(u.ContinuationToken));
#pragma warning restore MEAI001
    }

    [Fact]
    public void OnEvent_BackgroundEventsReplayedAfterAResume_AreNotReadTwice()
    {
        // A server that ignores starting_after sends events the mapper already read: each is read once.
        var mapper = NewMapper(background: true);
        var first = Push(mapper, Numbered(0, Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "One "), TextDelta(0, "msg_1", "two ")));
        var replayed = Feed(mapper, Numbered(0, Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "One "), TextDelta(0, "msg_1", "two "), TextDelta(0, "msg_1", "three"), Completed()));

        Assert.Equal("One two three", first.Concat(replayed).ToChatResponse().Text);
        Assert.Equal(ChatFinishReason.Stop, replayed[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_ConversationOfTheRequest_StaysTheConversationId()
    {
        var mapper = new YuHuan.Connector.Responses.ResponsesStreamMapper(stored: true, background: false, resumed: null, conversation: "conv_123");

        var updates = Feed(mapper, Created(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"), Completed());

        Assert.Equal("conv_123", updates[^1].ConversationId);
    }

    [Fact]
    public void OnEvent_PhaseWithTwoMessageItems_TwoMessages()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_c", phase: "commentary")),
            TextDelta(0, "msg_c", "Let me look."),
            Done(0, MessageItem("msg_c", "completed", $"[{OutputText("Let me look.")}]", "commentary")),
            Added(1, MessageItem("msg_f", phase: "final_answer")),
            TextDelta(1, "msg_f", "It is sunny."),
            Done(1, MessageItem("msg_f", "completed", $"[{OutputText("It is sunny.")}]", "final_answer")),
            Completed());

        var messages = updates.ToChatResponse().Messages;
        Assert.Equal(2, messages.Count);
        Assert.Equal(ResponseId, messages[0].MessageId);
        Assert.Equal("Let me look.", messages[0].Text);
        Assert.Equal("msg_f", messages[1].MessageId);
        Assert.Equal("It is sunny.", messages[1].Text);
    }

    [Fact]
    public void OnEvent_RawReasoningText_ReasoningWithItemIdOnTheFirstPiece()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, ReasoningItem("rs_raw")),
            ReasoningTextDelta(0, "rs_raw", "Think"),
            ReasoningTextDelta(0, "rs_raw", "ing."),
            Done(0, ReasoningItem("rs_raw", content: """[{"type":"reasoning_text","text":"Thinking."}]""")),
            Added(1, MessageItem("msg_1")),
            TextDelta(1, "msg_1", "Answer."),
            Completed());

        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal(["Think", "ing."], reasoning.Select(r => r.Text));
        Assert.Equal("rs_raw", ItemIdOf(reasoning[0]));
        Assert.Null(ItemIdOf(reasoning[1]));
        Assert.Equal("Answer.", updates.ToChatResponse().Text);
    }

    [Fact]
    public void OnEvent_ItemWithOnlyDone_TextAndReasoningFromTheDoneItem()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, ReasoningItem("rs_1")),
            Done(0, ReasoningItem("rs_1", $"[{SummaryText("Sum one.")},{SummaryText("Sum two.")}]", "ZW5j", """[{"type":"reasoning_text","text":"Raw."}]""")),
            Added(1, MessageItem("msg_1")),
            Done(1, MessageItem("msg_1", "completed", $"[{OutputText("Whole answer.")}]")),
            Completed());

        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal(["Raw.", "Sum one.", "Sum two.", string.Empty], reasoning.Select(r => r.Text));
        Assert.Equal("rs_1", ItemIdOf(reasoning[0]));
        Assert.Null(ItemIdOf(reasoning[1]));
        Assert.Equal("ZW5j", reasoning[^1].ProtectedData);
        Assert.Equal("rs_1", ItemIdOf(reasoning[^1]));
        Assert.Equal("Whole answer.", updates.ToChatResponse().Text);
        Assert.Equal(ResponseId, Assert.Single(updates, u => u.Contents.Any(c => c is TextContent)).MessageId);
    }

    [Fact]
    public void OnEvent_ItemNeverAddedOnlyDone_TextFromTheDoneItem()
    {
        var updates = Feed(NewMapper(), Created(), Done(0, MessageItem("msg_1", "completed", $"[{OutputText("Only done.")}]")), Completed());

        Assert.Equal("Only done.", updates.ToChatResponse().Text);
    }

    [Fact]
    public void OnEvent_OnlyTheTerminalEventHoldsTheOutput_Mapped()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Completed($"[{MessageItem("msg_1", "completed", $"[{OutputText("All at the end.")}]")},{FunctionCallItem("fc_1", "call_A", "f", "{\\\"a\\\":2}", "completed")}]"));

        Assert.Equal("All at the end.", updates.ToChatResponse().Text);
        Assert.Equal(2, Argument(Assert.Single(All<FunctionCallContent>(updates)), "a").GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_DoneItemStillSaysInProgress_CompletedAnyway()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "f")),
            ArgumentsDelta(0, "fc_1", "{}"),
            Done(0, FunctionCallItem("fc_1", "call_A", "f", "{}", status: "in_progress")),
            Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("call_A", call.CallId);
        Assert.NotSame(updates[^1], Assert.Single(updates, u => u.Contents.Contains(call)));
    }

    [Theory]
    [MemberData(nameof(HostedToolItems))]
    public void OnEvent_HostedToolItem_MappedAndKeptOnceWithoutFailing(string type, string item, string familyEvent)
    {
        Assert.Contains($"\"type\":\"{type}\"", item, StringComparison.Ordinal);
        var updates = Feed(
            NewMapper(background: true),
            Numbered(
                0,
                Created(),
                Added(0, MessageItem("msg_1")),
                TextDelta(0, "msg_1", "Before. "),
                Done(0, MessageItem("msg_1", "completed", $"[{OutputText("Before. ")}]")),
                Added(1, item),
                familyEvent,
                Done(1, item),
                Added(2, MessageItem("msg_2")),
                TextDelta(2, "msg_2", "After."),
                Completed($"[{MessageItem("msg_1", "completed", $"[{OutputText("Before. ")}]")},{item},{MessageItem("msg_2", "completed", $"[{OutputText("After.")}]")}]")));

        Assert.Equal("Before. After.", string.Concat(All<TextContent>(updates).Select(t => t.Text)));

        // Mapped once (the terminal output does not repeat it), its JSON kept for the next request.
        var kept = Assert.Single(updates.SelectMany(u => u.Contents), c => c.RawRepresentation is System.Text.Json.JsonElement);
        ResponsesHostedItemTests.AssertKept(item, kept);
        Assert.Empty(All<FunctionCallContent>(updates));
        Assert.Empty(All<TextReasoningContent>(updates));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public void OnEvent_UnknownEventsSkipped_AnnotationsJoinTheText()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            """{"type":"response.something_new","payload":{"nested":[1,2,3]}}""",
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "See example.com"),
            """{"type":"response.output_text.annotation.added","item_id":"msg_1","output_index":0,"content_index":0,"annotation_index":0,"annotation":{"type":"url_citation","url":"https://example.com/","title":"Example","start_index":4,"end_index":15}}""",
            """{"type":"keepalive"}""",
            Done(0, MessageItem("msg_1", "completed", """[{"type":"output_text","annotations":[{"type":"file_citation","file_id":"file_1","filename":"a.pdf","index":3}],"text":"See example.com"}]""")),
            Completed());

        var response = updates.ToChatResponse();
        Assert.Equal("See example.com", response.Text);
        Assert.Equal(3, updates.Count);

        // The streamed annotation is the one: the done item's copy of the part is not added again.
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextContent>().SelectMany(t => t.Annotations ?? [])));
        Assert.Equal("https://example.com/", citation.Url!.AbsoluteUri);
    }

    [Fact]
    public void OnEvent_ArgumentsDoneWithoutName_NameFromTheAddedItem()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "lookup")),
            ArgumentsDelta(0, "fc_1", "{\\\"q\\\":\\\"x\\\"}"),
            ArgumentsDone(0, "fc_1", "{\\\"q\\\":\\\"x\\\"}"),
            Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("lookup", call.Name);
        Assert.Equal("x", Argument(call, "q").GetString());
    }

    [Fact]
    public void OnEvent_DoneItemWithEmptyArguments_PiecesSplitInsideAnEscapeJoined()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "f")),
            ArgumentsDelta(0, "fc_1", "{\\\"city\\\":\\\"Caf\\\\u00"),
            ArgumentsDelta(0, "fc_1", "e9 \\ud83d"),
            ArgumentsDelta(0, "fc_1", "\\ude00\\\"}"),
            Done(0, FunctionCallItem("fc_1", "call_A", "f", status: "completed")),
            Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Null(call.Exception);
        Assert.Equal("Café 😀", Argument(call, "city").GetString());
    }

    [Fact]
    public void OnEvent_ArgumentsPieceAfterTheCallWasDone_NoSecondCall()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "f")),
            Done(0, FunctionCallItem("fc_1", "call_A", "f", "{}", "completed")),
            ArgumentsDelta(0, "fc_1", "{\\\"late\\\":1}"),
            Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Empty(call.Arguments!);
    }

    [Fact]
    public void OnEvent_NameOnlyInTheDoneItem_CallNamed()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":""}}""",
            ArgumentsDelta(0, "fc_1", "{}"),
            Done(0, FunctionCallItem("fc_1", "call_Z", "late_name", "{}", "completed")),
            Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("late_name", call.Name);
        Assert.Equal("call_Z", call.CallId);
    }

    [Fact]
    public void OnEvent_ZeroUsage_ReportedAsItIs()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", "Hi"),
            Completed(usage: """{"input_tokens":0,"output_tokens":0,"total_tokens":0}"""));

        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(0, usage.InputTokenCount);
        Assert.Equal(0, usage.OutputTokenCount);
        Assert.Equal(0, usage.TotalTokenCount);
    }

    [Fact]
    public void OnEvent_FiftyKilobyteEvents_MappedWhole()
    {
        var big = new string('a', 50 * 1024);
        var image = new string('A', 50 * 1024);
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, MessageItem("msg_1")),
            TextDelta(0, "msg_1", big),
            $$"""{"type":"response.image_generation_call.partial_image","output_index":1,"item_id":"ig_1","partial_image_index":0,"partial_image_b64":"{{image}}"}""",
            Completed());

        Assert.Equal(big, Assert.Single(All<TextContent>(updates)).Text);
    }

    [Fact]
    public void OnEvent_ArgumentsAsAnObject_Parsed()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "f")),
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"fc_1","type":"function_call","status":"completed","arguments":{"n":5},"call_id":"call_A","name":"f"}}""",
            Completed());

        Assert.Equal(5, Argument(Assert.Single(All<FunctionCallContent>(updates)), "n").GetInt32());
    }

    [Fact]
    public void OnEvent_MalformedArguments_CallWithException()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            Added(0, FunctionCallItem("fc_1", "call_A", "f")),
            ArgumentsDelta(0, "fc_1", "{\\\"n\\\":"),
            Done(0, FunctionCallItem("fc_1", "call_A", "f", "{\\\"n\\\":", "completed")),
            Completed());

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.NotNull(call.Exception);
        Assert.Equal("call_A", call.CallId);
    }

    [Fact]
    public void OnEvent_ItemFieldsInAnyOrder_Mapped()
    {
        var updates = Feed(
            NewMapper(),
            Created(),
            """{"item":{"summary":[],"type":"reasoning","id":"rs_1"},"type":"response.output_item.added","output_index":0}""",
            """{"item":{"summary":[{"text":"Plan.","type":"summary_text"}],"encrypted_content":"ZQ==","id":"rs_1","type":"reasoning"},"type":"response.output_item.done","output_index":0}""",
            """{"item":{"content":[{"text":"Body.","type":"output_text"}],"id":"msg_1","type":"message"},"output_index":1,"type":"response.output_item.done"}""",
            Completed());

        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal("Plan.", reasoning[0].Text);
        Assert.Equal("rs_1", ItemIdOf(reasoning[0]));
        Assert.Equal("ZQ==", reasoning[1].ProtectedData);
        Assert.Equal("Body.", updates.ToChatResponse().Text);
    }
}
