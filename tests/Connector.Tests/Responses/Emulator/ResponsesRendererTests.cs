using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses.Emulator;

/// <summary>The emulator's Responses renderer, checked by the events and JSON it produces.</summary>
public sealed class ResponsesRendererTests
{
    private const long Created = 1_700_000_000;

    public static TheoryData<string?, string, string?> TerminalEvents => new()
    {
        { "stop", "completed", null },
        { "tool_calls", "completed", null },
        { null, "completed", null },
        { "length", "incomplete", "max_output_tokens" },
        { "content_filter", "incomplete", "content_filter" },
        { "pause_turn", "incomplete", "pause_turn" },
    };

    [Fact]
    public void RenderStream_ReasoningTextToolCall_SendsItemsInOrderWithIncreasingSequenceNumbers()
    {
        var reply = new EmulatorReply()
            .AddReasoning("Let me think.", chunkSize: 5, signature: "enc-abc")
            .AddText("Hello there", chunkSize: 6)
            .AddToolCall("call_1", "get_weather", """{"city":"Paris"}""", fragments: 3)
            .WithUsage(inputTokens: 100, outputTokens: 20, cachedInputTokens: 30, reasoningTokens: 8);

        var events = Parse(reply);

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(e.Type, e.Json.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Length), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));

        JsonAssert.Equal(
            """
            {"type":"response.created","sequence_number":0,"response":{"id":"resp_emu_1","object":"response","created_at":1700000000,
             "status":"in_progress","background":false,"error":null,"incomplete_details":null,"model":"emu-model","output":[],
             "previous_response_id":null,"store":true,"usage":null}}
            """,
            events[0].Data);
        Assert.Equal("in_progress", events[1].Json.GetProperty("response").GetProperty("status").GetString());

        // Reasoning: no encrypted content until the item is done.
        JsonAssert.Equal("""{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"rs_emu_1","type":"reasoning","summary":[]}}""", events[2].Data);
        JsonAssert.Equal("""{"type":"response.reasoning_summary_part.added","sequence_number":3,"item_id":"rs_emu_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}""", events[3].Data);
        Assert.Equal("Let me think.", string.Concat(events[4..7].Select(e => e.Json.GetProperty("delta").GetString())));
        JsonAssert.Equal("""{"type":"response.reasoning_summary_text.done","sequence_number":7,"item_id":"rs_emu_1","output_index":0,"summary_index":0,"text":"Let me think."}""", events[7].Data);
        JsonAssert.Equal("""{"type":"response.reasoning_summary_part.done","sequence_number":8,"item_id":"rs_emu_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":"Let me think."}}""", events[8].Data);
        JsonAssert.Equal(
            """{"type":"response.output_item.done","sequence_number":9,"output_index":0,"item":{"id":"rs_emu_1","type":"reasoning","summary":[{"type":"summary_text","text":"Let me think."}],"encrypted_content":"enc-abc"}}""",
            events[9].Data);

        // Text.
        JsonAssert.Equal("""{"type":"response.output_item.added","sequence_number":10,"output_index":1,"item":{"id":"msg_item_emu_1","type":"message","status":"in_progress","role":"assistant","content":[]}}""", events[10].Data);
        JsonAssert.Equal("""{"type":"response.content_part.added","sequence_number":11,"item_id":"msg_item_emu_1","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"text":""}}""", events[11].Data);
        JsonAssert.Equal("""{"type":"response.output_text.delta","sequence_number":12,"item_id":"msg_item_emu_1","output_index":1,"content_index":0,"delta":"Hello "}""", events[12].Data);
        JsonAssert.Equal("""{"type":"response.output_text.delta","sequence_number":13,"item_id":"msg_item_emu_1","output_index":1,"content_index":0,"delta":"there"}""", events[13].Data);
        JsonAssert.Equal("""{"type":"response.output_text.done","sequence_number":14,"item_id":"msg_item_emu_1","output_index":1,"content_index":0,"text":"Hello there"}""", events[14].Data);
        JsonAssert.Equal("""{"type":"response.content_part.done","sequence_number":15,"item_id":"msg_item_emu_1","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"text":"Hello there"}}""", events[15].Data);
        JsonAssert.Equal(
            """{"type":"response.output_item.done","sequence_number":16,"output_index":1,"item":{"id":"msg_item_emu_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"text":"Hello there"}]}}""",
            events[16].Data);

        // Tool call.
        JsonAssert.Equal(
            """{"type":"response.output_item.added","sequence_number":17,"output_index":2,"item":{"id":"fc_emu_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_1","name":"get_weather"}}""",
            events[17].Data);
        Assert.All(events[18..21], e => Assert.Equal("fc_emu_1", e.Json.GetProperty("item_id").GetString()));
        Assert.Equal("""{"city":"Paris"}""", string.Concat(events[18..21].Select(e => e.Json.GetProperty("delta").GetString())));
        JsonAssert.Equal("""{"type":"response.function_call_arguments.done","sequence_number":21,"item_id":"fc_emu_1","output_index":2,"arguments":"{\"city\":\"Paris\"}"}""", events[21].Data);
        JsonAssert.Equal(
            """{"type":"response.output_item.done","sequence_number":22,"output_index":2,"item":{"id":"fc_emu_1","type":"function_call","status":"completed","arguments":"{\"city\":\"Paris\"}","call_id":"call_1","name":"get_weather"}}""",
            events[22].Data);

        JsonAssert.Equal(
            """
            {"type":"response.completed","sequence_number":23,"response":{"id":"resp_emu_1","object":"response","created_at":1700000000,
             "status":"completed","background":false,"error":null,"incomplete_details":null,"model":"emu-model",
             "output":[
               {"id":"rs_emu_1","type":"reasoning","summary":[{"type":"summary_text","text":"Let me think."}],"encrypted_content":"enc-abc"},
               {"id":"msg_item_emu_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"text":"Hello there"}]},
               {"id":"fc_emu_1","type":"function_call","status":"completed","arguments":"{\"city\":\"Paris\"}","call_id":"call_1","name":"get_weather"}
             ],
             "previous_response_id":null,"store":true,
             "usage":{"input_tokens":100,"input_tokens_details":{"cached_tokens":30},"output_tokens":20,"output_tokens_details":{"reasoning_tokens":8},"total_tokens":120}}}
            """,
            events[23].Data);
    }

    [Fact]
    public void RenderCompletion_IsTheResponseOfTheTerminalEvent()
    {
        var reply = EmulatorReply.Story();

        var terminal = Parse(reply)[^1].Json.GetProperty("response");
        var complete = JsonElement.Parse(Renderer.RenderCompletion(reply, Context(reply)));

        Assert.True(JsonElement.DeepEquals(terminal, complete), $"{terminal.GetRawText()}\n{complete.GetRawText()}");
        Assert.Equal("completed", complete.GetProperty("status").GetString());
        Assert.Equal(["reasoning", "message"], complete.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(24, complete.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(40)]
    public void RenderStream_ToolCall_ArgumentDeltasJoinToTheScriptedArguments(int fragments)
    {
        const string Arguments = """{"q":"a\"b\\c \u00e9 ü 😀","n":[1,{"deep":null}]}""";
        var reply = new EmulatorReply().AddToolCall(null, "search", Arguments, fragments).AddToolCall(null, "other", "{}");

        var events = Parse(reply);
        var deltas = events.Where(e => e.Type == "response.function_call_arguments.delta" && e.Json.GetProperty("output_index").GetInt32() == 0).ToList();
        var added = events.Where(e => e.Type == "response.output_item.added").Select(e => e.Json.GetProperty("item")).ToList();

        Assert.Equal(fragments, deltas.Count);
        Assert.Equal(Arguments, string.Concat(deltas.Select(d => d.Json.GetProperty("delta").GetString())));
        Assert.Equal(["call_emu_1", "call_emu_2"], added.Select(i => i.GetProperty("call_id").GetString()));
        Assert.Equal(["fc_emu_1", "fc_emu_2"], added.Select(i => i.GetProperty("id").GetString()));
        Assert.All(added, i => Assert.Equal(string.Empty, i.GetProperty("arguments").GetString()));
        Assert.Equal(Arguments, events.First(e => e.Type == "response.function_call_arguments.done").Json.GetProperty("arguments").GetString());
    }

    [Fact]
    public void RenderStream_RedactedAndSignatureOnlyReasoning_AreItemsWithEncryptedContentOnlyWhenDone()
    {
        var reply = new EmulatorReply().AddRedactedReasoning("opaque==").AddReasoning(string.Empty, signature: "sig-only");

        var events = Parse(reply);

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.output_item.done", "response.output_item.added", "response.output_item.done", "response.completed"],
            events.Select(e => e.Type));
        JsonAssert.Equal("""{"id":"rs_emu_1","type":"reasoning","summary":[]}""", events[2].Json.GetProperty("item"));
        JsonAssert.Equal("""{"id":"rs_emu_1","type":"reasoning","summary":[],"encrypted_content":"opaque=="}""", events[3].Json.GetProperty("item"));
        JsonAssert.Equal("""{"id":"rs_emu_2","type":"reasoning","summary":[]}""", events[4].Json.GetProperty("item"));
        JsonAssert.Equal("""{"id":"rs_emu_2","type":"reasoning","summary":[],"encrypted_content":"sig-only"}""", events[5].Json.GetProperty("item"));
    }

    [Fact]
    public void RenderStream_RawReasoning_IsAReasoningTextContentPart()
    {
        var reply = new EmulatorReply().AddRawReasoning("Step one, step two.", chunkSize: 8, signature: "enc-raw").AddText("Done.");

        var events = Parse(reply);
        var reasoning = events.TakeWhile(e => e.Type != "response.output_item.done").ToList();

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
             "response.reasoning_text.delta", "response.reasoning_text.delta", "response.reasoning_text.delta",
             "response.reasoning_text.done", "response.content_part.done"],
            reasoning.Select(e => e.Type));
        Assert.DoesNotContain(events, e => e.Type.StartsWith("response.reasoning_summary", StringComparison.Ordinal));
        JsonAssert.Equal("""{"id":"rs_emu_1","type":"reasoning","summary":[],"content":[]}""", reasoning[2].Json.GetProperty("item"));
        JsonAssert.Equal("""{"type":"response.content_part.added","sequence_number":3,"item_id":"rs_emu_1","output_index":0,"content_index":0,"part":{"type":"reasoning_text","text":""}}""", reasoning[3].Data);
        Assert.Equal("Step one, step two.", string.Concat(reasoning[4..7].Select(e => e.Json.GetProperty("delta").GetString())));
        Assert.All(reasoning[4..8], e => Assert.Equal(0, e.Json.GetProperty("content_index").GetInt32()));
        JsonAssert.Equal("""{"type":"response.reasoning_text.done","sequence_number":7,"item_id":"rs_emu_1","output_index":0,"content_index":0,"text":"Step one, step two."}""", reasoning[7].Data);
        JsonAssert.Equal(
            """{"id":"rs_emu_1","type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"Step one, step two."}],"encrypted_content":"enc-raw"}""",
            events.First(e => e.Type == "response.output_item.done").Json.GetProperty("item"));
    }

    [Fact]
    public void RenderStream_PhasesAndRefusal_GroupIntoMessageItemsByPhase()
    {
        var reply = new EmulatorReply()
            .AddPhasedText("Checking the forecast.", "commentary", chunkSize: 100)
            .AddPhasedText("It is ", "final_answer", chunkSize: 100)
            .AddPhasedText("sunny.", "final_answer", chunkSize: 100)
            .AddText("Plain ", chunkSize: 100)
            .AddRefusal("I cannot say more.", chunkSize: 9);

        var events = Parse(reply);
        var items = events.Where(e => e.Type == "response.output_item.done").Select(e => e.Json.GetProperty("item")).ToList();

        Assert.Equal(3, items.Count);
        JsonAssert.Equal(
            """{"id":"msg_item_emu_1","type":"message","status":"completed","role":"assistant","phase":"commentary","content":[{"type":"output_text","annotations":[],"text":"Checking the forecast."}]}""",
            items[0]);
        JsonAssert.Equal(
            """{"id":"msg_item_emu_2","type":"message","status":"completed","role":"assistant","phase":"final_answer","content":[{"type":"output_text","annotations":[],"text":"It is "},{"type":"output_text","annotations":[],"text":"sunny."}]}""",
            items[1]);
        JsonAssert.Equal(
            """{"id":"msg_item_emu_3","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"text":"Plain "},{"type":"refusal","refusal":"I cannot say more."}]}""",
            items[2]);
        Assert.Equal("final_answer", events.Where(e => e.Type == "response.output_item.added").ElementAt(1).Json.GetProperty("item").GetProperty("phase").GetString());
        Assert.Equal(
            [(1, 0), (1, 1)],
            events.Where(e => e.Type == "response.output_text.delta" && e.Json.GetProperty("output_index").GetInt32() == 1)
                .Select(e => (e.Json.GetProperty("output_index").GetInt32(), e.Json.GetProperty("content_index").GetInt32())));

        var refusal = events.SkipWhile(e => e.Type != "response.output_text.done" || e.Json.GetProperty("output_index").GetInt32() != 2).Skip(2).ToList();
        Assert.Equal(["response.content_part.added", "response.refusal.delta", "response.refusal.delta", "response.refusal.done", "response.content_part.done", "response.output_item.done", "response.completed"], refusal.Select(e => e.Type));
        JsonAssert.Equal("""{"type":"response.content_part.added","sequence_number":""" + refusal[0].Json.GetProperty("sequence_number").GetInt32() + ""","item_id":"msg_item_emu_3","output_index":2,"content_index":1,"part":{"type":"refusal","refusal":""}}""", refusal[0].Data);
        Assert.Equal("I cannot say more.", string.Concat(refusal[1..3].Select(e => e.Json.GetProperty("delta").GetString())));
        Assert.Equal("I cannot say more.", refusal[3].Json.GetProperty("refusal").GetString());
    }

    [Theory]
    [MemberData(nameof(TerminalEvents))]
    public void RenderStream_FinishReason_DecidesTheTerminalEvent(string? finishReason, string status, string? reason)
    {
        var reply = new EmulatorReply().AddText("x").WithUsage(3, 1).WithFinishReason(finishReason is null ? null : new ChatFinishReason(finishReason));

        var terminal = Parse(reply)[^1];
        var response = terminal.Json.GetProperty("response");

        Assert.Equal("response." + status, terminal.Type);
        Assert.Equal(status, response.GetProperty("status").GetString());
        if (reason is null)
        {
            Assert.Equal(JsonValueKind.Null, response.GetProperty("incomplete_details").ValueKind);
        }
        else
        {
            JsonAssert.Equal($$"""{"reason":"{{reason}}"}""", response.GetProperty("incomplete_details"));
        }

        Assert.Equal(4, response.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(status, JsonElement.Parse(Renderer.RenderCompletion(reply, Context(reply))).GetProperty("status").GetString());
    }

    [Fact]
    public void RenderStream_StreamError_IsAnErrorEventFollowedByResponseFailed()
    {
        var reply = new EmulatorReply().AddText("Half", chunkSize: 100).WithUsage(5, 5).WithStreamError("Overloaded", "server_error", "server_is_overloaded");

        var events = Parse(reply);

        Assert.Equal(["response.output_item.done", "error", "response.failed"], events[^3..].Select(e => e.Type));
        JsonAssert.Equal($$"""{"type":"error","sequence_number":{{events.Length - 2}},"code":"server_is_overloaded","message":"Overloaded","param":null}""", events[^2].Data);
        var failed = events[^1].Json.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        JsonAssert.Equal("""{"code":"server_is_overloaded","message":"Overloaded"}""", failed.GetProperty("error"));
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("usage").ValueKind);
        Assert.Equal(1, failed.GetProperty("output").GetArrayLength());
    }

    [Fact]
    public void RenderStream_StreamErrorWithoutCode_ErrorEventAndFailureNameTheTypeAsCode()
    {
        var events = Parse(new EmulatorReply().AddText("x").WithStreamError("Boom"));

        Assert.Equal("server_error", events[^2].Json.GetProperty("code").GetString());
        Assert.Equal("server_error", events[^1].Json.GetProperty("response").GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void RenderStream_Truncated_StopsBeforeTheTerminalEventWhichIsStillKept()
    {
        var reply = new EmulatorReply().AddReasoning("Thinking…").AddText("Once upon a").WithUsage(5, 5).Truncated();

        var rendering = Renderer.Render(reply, Context(reply));
        var live = Parse(reply);

        Assert.Equal("response.output_item.done", live[^1].Type);
        Assert.DoesNotContain(live, e => e.Type is "response.completed" or "response.incomplete" or "response.failed");
        Assert.Equal(live.Length + 1, rendering.Events.Count);
        Assert.Equal("response.completed", rendering.Events[^1].EventType);
    }

    [Fact]
    public void RenderStream_Padding_IsAKeepaliveWithItsSequenceNumber()
    {
        var reply = new EmulatorReply().AddPadding(300).AddText("after", chunkSize: 100);

        var events = Parse(reply);

        Assert.Equal("keepalive", events[2].Type);
        Assert.Equal("keepalive", events[2].Json.GetProperty("type").GetString());
        Assert.Equal(2, events[2].Json.GetProperty("sequence_number").GetInt32());
        Assert.Equal(new string('x', 300), events[2].Json.GetProperty("padding").GetString());
        Assert.Equal(0, events[3].Json.GetProperty("output_index").GetInt32());
        Assert.Equal(Enumerable.Range(0, events.Length), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
    }

    [Fact]
    public void Render_RequestFields_AreEchoedAndDecideTheFirstStatus()
    {
        var reply = EmulatorReply.Text("x");

        var rendering = Renderer.Render(reply, Context(reply, """{"store":false,"background":true,"previous_response_id":"resp_prev"}"""));
        var created = RenderedEvent.Parse(SseFraming.Frame(rendering.Events[0], reply))[0].Json.GetProperty("response");
        var queued = JsonElement.Parse(rendering.Queued);
        var inProgress = JsonElement.Parse(rendering.InProgress);

        Assert.Equal("queued", created.GetProperty("status").GetString());
        Assert.False(created.GetProperty("store").GetBoolean());
        Assert.True(created.GetProperty("background").GetBoolean());
        Assert.Equal("resp_prev", created.GetProperty("previous_response_id").GetString());
        Assert.True(JsonElement.DeepEquals(created, queued));
        Assert.Equal("in_progress", inProgress.GetProperty("status").GetString());
        Assert.Equal(0, inProgress.GetProperty("output").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, inProgress.GetProperty("usage").ValueKind);
        Assert.Equal("completed", JsonElement.Parse(rendering.Final).GetProperty("status").GetString());
    }

    [Fact]
    public void RenderError_IsTheOpenAiErrorShape()
    {
        JsonAssert.Equal(
            """{"error":{"message":"Slow down.","type":"rate_limit_error","code":"rate_limit_exceeded","param":null}}""",
            Renderer.RenderError(new ReplyError("Slow down.", "rate_limit_error", "rate_limit_exceeded"), new IdCounter()));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Frame_LineEndingAndComments_FrameEveryEventWithEventAndDataLines(string lineEnding)
    {
        var reply = new EmulatorReply().AddText("a\nb", chunkSize: 1).WithLineEnding(lineEnding).WithComments();

        var body = Encoding.UTF8.GetString(Body(reply));
        var events = Parse(reply);

        Assert.StartsWith($": PROCESSING{lineEnding}{lineEnding}event: response.created{lineEnding}data: {{\"type\":\"response.created\",\"sequence_number\":0,", body, StringComparison.Ordinal);
        Assert.Equal("a\nb", string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString())));
        Assert.EndsWith($"}}}}{lineEnding}{lineEnding}", body, StringComparison.Ordinal);
        Assert.Equal("response.completed", events[^1].Type);
    }

    private static ResponsesRenderer Renderer => ResponsesRenderer.Instance;

    private static RenderContext Context(EmulatorReply reply, string request = "{}") =>
        RenderContext.For(Renderer, reply, "emu-model", Created, new IdCounter()) with { Request = JsonElement.Parse(request) };

    private static byte[] Body(EmulatorReply reply) => [.. Renderer.RenderStream(reply, Context(reply)).SelectMany(e => SseFraming.Frame(e, reply))];

    private static RenderedEvent[] Parse(EmulatorReply reply) => RenderedEvent.Parse(Body(reply));

    [Fact]
    public void WithExtraFields_OfText_InTheMessageItemAddedDoneAndOutput()
    {
        var reply = new EmulatorReply().AddText("x").WithExtraFields("""{"lang":"en"}""");

        var items = Parse(reply)
            .Where(e => e.Json.GetProperty("type").GetString() is "response.output_item.added" or "response.output_item.done")
            .Select(e => e.Json.GetProperty("item"))
            .ToList();
        var output = JsonDocument.Parse(Renderer.RenderCompletion(reply, Context(reply))).RootElement.GetProperty("output")[0];

        Assert.Equal(2, items.Count);
        Assert.All(items.Append(output), item => Assert.Equal("en", item.GetProperty("lang").GetString()));
    }
}
