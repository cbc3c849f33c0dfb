using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages.Emulator;

/// <summary>The emulator's Messages renderer, checked by the events and JSON it produces.</summary>
public sealed class MessagesRendererTests
{
    private static readonly WireFormat Wire = MessagesWireFormat.Instance;

    public static TheoryData<string?, string?> StopReasons => new()
    {
        { "stop", "end_turn" },
        { "length", "max_tokens" },
        { "tool_calls", "tool_use" },
        { "content_filter", "refusal" },
        { "pause_turn", "pause_turn" },
        { "model_context_window_exceeded", "model_context_window_exceeded" },
        { "stop_sequence", "stop_sequence" },
        { null, null },
    };

    [Fact]
    public void RenderStream_ThinkingTextToolCallUsage_SendsBlocksInOrder()
    {
        var reply = new EmulatorReply()
            .AddReasoning("Let me think.", chunkSize: 5, signature: "sig-abc")
            .AddText("Hello there", chunkSize: 6)
            .AddToolCall("toolu_1", "get_weather", """{"city":"Paris"}""", fragments: 3)
            .WithUsage(inputTokens: 100, outputTokens: 20, cachedInputTokens: 30, cacheCreationInputTokens: 10);

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(
            [
                "message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(e.Type, e.Json.GetProperty("type").GetString()));

        JsonAssert.Equal(
            """
            {"type":"message_start","message":{"id":"msg_emu_1","type":"message","role":"assistant","model":"fuzz-model","content":[],
             "stop_reason":null,"stop_sequence":null,
             "usage":{"input_tokens":60,"cache_creation_input_tokens":10,"cache_read_input_tokens":30,"output_tokens":1}}}
            """,
            events[0].Data);
        JsonAssert.Equal("""{"type":"ping"}""", events[1].Data);

        JsonAssert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""", events[2].Data);
        Assert.Equal(["thinking_delta", "thinking_delta", "thinking_delta", "signature_delta"], events[3..7].Select(e => e.Json.GetProperty("delta").GetProperty("type").GetString()));
        Assert.Equal("Let me think.", string.Concat(events[3..6].Select(e => e.Json.GetProperty("delta").GetProperty("thinking").GetString())));
        JsonAssert.Equal("""{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig-abc"}}""", events[6].Data);
        JsonAssert.Equal("""{"type":"content_block_stop","index":0}""", events[7].Data);

        JsonAssert.Equal("""{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""", events[8].Data);
        JsonAssert.Equal("""{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello "}}""", events[9].Data);
        JsonAssert.Equal("""{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"there"}}""", events[10].Data);

        JsonAssert.Equal("""{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}""", events[12].Data);
        JsonAssert.Equal("""{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}""", events[13].Data);
        Assert.All(events[13..17], e => Assert.Equal(2, e.Json.GetProperty("index").GetInt32()));
        JsonAssert.Equal("""{"type":"content_block_stop","index":2}""", events[17].Data);

        JsonAssert.Equal("""{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":20}}""", events[18].Data);
        JsonAssert.Equal("""{"type":"message_stop"}""", events[19].Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(40)]
    public void RenderStream_ToolCall_InputJsonDeltasJoinToTheScriptedArguments(int fragments)
    {
        const string Arguments = """{"q":"a\"b\\c \u00e9 ü 😀","n":[1,{"deep":null}]}""";
        var reply = new EmulatorReply().AddToolCall("toolu_x", "search", Arguments, fragments);

        var deltas = RenderedEvent.Parse(Wire.RenderBody(reply))
            .Where(e => e.Type == "content_block_delta")
            .Select(e => e.Json.GetProperty("delta"))
            .ToList();

        Assert.All(deltas, d => Assert.Equal("input_json_delta", d.GetProperty("type").GetString()));
        Assert.Equal(string.Empty, deltas[0].GetProperty("partial_json").GetString());
        Assert.Equal(fragments + 1, deltas.Count);
        Assert.Equal(Arguments, string.Concat(deltas.Select(d => d.GetProperty("partial_json").GetString())));
    }

    [Fact]
    public void RenderStream_ToolCallsWithoutIds_GetDistinctMadeUpIds()
    {
        var reply = new EmulatorReply().AddToolCall(null, "a", "{}").AddToolCall(null, "b", "{}");

        var ids = RenderedEvent.Parse(Wire.RenderBody(reply))
            .Where(e => e.Type == "content_block_start")
            .Select(e => e.Json.GetProperty("content_block").GetProperty("id").GetString())
            .ToList();

        Assert.Equal(["toolu_emu_1", "toolu_emu_2"], ids);
    }

    [Fact]
    public void RenderStream_RedactedAndSignatureOnlyThinking_AreBlocksWithoutTextDeltas()
    {
        var reply = new EmulatorReply().AddRedactedReasoning("opaque==").AddReasoning(string.Empty, signature: "sig-only");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Type));
        JsonAssert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"opaque=="}}""", events[2].Data);
        JsonAssert.Equal("""{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"sig-only"}}""", events[5].Data);
    }

    [Fact]
    public void RenderStream_Padding_IsAPingOutsideAnyBlock()
    {
        var reply = new EmulatorReply().AddPadding(300).AddText("after", chunkSize: 100);

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(["message_start", "ping", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Type));
        Assert.Equal("ping", events[2].Json.GetProperty("type").GetString());
        Assert.Equal(new string('x', 300), events[2].Json.GetProperty("padding").GetString());
        Assert.Equal(0, events[3].Json.GetProperty("index").GetInt32());
    }

    [Theory]
    [MemberData(nameof(StopReasons))]
    public void StopReason_EachFinishReason_MapsToItsWord(string? finishReason, string? expected)
    {
        var reply = new EmulatorReply().AddText("x").WithFinishReason(finishReason is null ? null : new ChatFinishReason(finishReason));

        var streamed = RenderedEvent.Parse(Wire.RenderBody(reply)).Single(e => e.Type == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason");
        var complete = JsonDocument.Parse(Wire.RenderCompletion(reply)).RootElement.GetProperty("stop_reason");

        Assert.Equal(expected, streamed.ValueKind == JsonValueKind.Null ? null : streamed.GetString());
        Assert.Equal(expected, complete.ValueKind == JsonValueKind.Null ? null : complete.GetString());
    }

    [Fact]
    public void StopReason_NotScripted_IsToolUseWithACallAndEndTurnWithout()
    {
        string? StopReason(EmulatorReply reply) => JsonDocument.Parse(Wire.RenderCompletion(reply)).RootElement.GetProperty("stop_reason").GetString();

        Assert.Equal("tool_use", StopReason(new EmulatorReply().AddText("x").AddToolCall("t", "f", "{}")));
        Assert.Equal("end_turn", StopReason(new EmulatorReply().AddText("x")));
    }

    [Fact]
    public void RenderStream_StreamError_EndsWithAnErrorEventAfterTheParts()
    {
        var reply = new EmulatorReply().AddText("Half", chunkSize: 100).WithUsage(5, 5).WithStreamError("Overloaded", "overloaded_error", "ignored_code");

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "error"], events.Select(e => e.Type));
        JsonAssert.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", events[^1].Data);
    }

    [Fact]
    public void RenderStream_Truncated_EndsAfterThePartsWithoutMessageDeltaOrStop()
    {
        var reply = new EmulatorReply().AddReasoning("Thinking…").AddText("Once upon a").WithUsage(5, 5).Truncated();

        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.Equal("content_block_stop", events[^1].Type);
        Assert.DoesNotContain(events, e => e.Type is "message_delta" or "message_stop");
        Assert.Equal(2, events.Count(e => e.Type == "content_block_stop"));
    }

    [Fact]
    public void RenderCompletion_AllPartKinds_IsOneMessageObject()
    {
        var reply = new EmulatorReply()
            .WithId("msg_fixed")
            .WithModel("claude-emu")
            .AddReasoning("Think.", signature: "sig-1")
            .AddRedactedReasoning("opaque==")
            .AddText("Hi ", chunkSize: 1)
            .AddText("there.")
            .AddToolCall("toolu_a", "get_weather", """{"city":"Paris","days":[1,2]}""", fragments: 4)
            .AddToolCall(null, "empty", string.Empty)
            .AddToolCall(null, "broken", """{"city":""")
            .WithUsage(inputTokens: 50, outputTokens: 7, cachedInputTokens: 20, reasoningTokens: 3, cacheCreationInputTokens: 5);

        JsonAssert.Equal(
            """
            {"id":"msg_fixed","type":"message","role":"assistant","model":"claude-emu",
             "content":[
               {"type":"thinking","thinking":"Think.","signature":"sig-1"},
               {"type":"redacted_thinking","data":"opaque=="},
               {"type":"text","text":"Hi "},
               {"type":"text","text":"there."},
               {"type":"tool_use","id":"toolu_a","name":"get_weather","input":{"city":"Paris","days":[1,2]}},
               {"type":"tool_use","id":"toolu_emu_1","name":"empty","input":{}},
               {"type":"tool_use","id":"toolu_emu_2","name":"broken","input":"{\"city\":"}
             ],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":25,"cache_creation_input_tokens":5,"cache_read_input_tokens":20,"output_tokens":7}}
            """,
            Wire.RenderCompletion(reply));
    }

    [Fact]
    public void RenderStream_NoUsageScripted_SendsNoUsage()
    {
        var events = RenderedEvent.Parse(Wire.RenderBody(EmulatorReply.Text("x")));

        Assert.False(events[0].Json.GetProperty("message").TryGetProperty("usage", out _));
        Assert.False(events.Single(e => e.Type == "message_delta").Json.TryGetProperty("usage", out _));
    }

    [Fact]
    public void RenderStream_CachedMoreThanInput_InputTokensStayAtZero()
    {
        var events = RenderedEvent.Parse(Wire.RenderBody(EmulatorReply.Text("x").WithUsage(inputTokens: 5, outputTokens: 1, cachedInputTokens: 9)));

        Assert.Equal(0, events[0].Json.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public void RenderStream_Story_CarriesItsReasoningTextAndUsage()
    {
        var story = EmulatorReply.Story();
        var events = RenderedEvent.Parse(Wire.RenderBody(story));
        var deltas = events.Where(e => e.Type == "content_block_delta").Select(e => e.Json).ToList();

        var thinking = string.Concat(deltas.Where(d => d.GetProperty("index").GetInt32() == 0).Select(d => d.GetProperty("delta").GetProperty("thinking").GetString()));
        var text = string.Concat(deltas.Where(d => d.GetProperty("index").GetInt32() == 1).Select(d => d.GetProperty("delta").GetProperty("text").GetString()));
        var complete = JsonDocument.Parse(Wire.RenderCompletion(story)).RootElement.GetProperty("content");

        Assert.StartsWith("The user wants a short story.", thinking, StringComparison.Ordinal);
        Assert.Equal(complete[0].GetProperty("thinking").GetString(), thinking);
        Assert.Contains("lighthouse keeper named Mei", text, StringComparison.Ordinal);
        Assert.Equal(complete[1].GetProperty("text").GetString(), text);
        Assert.True(deltas.Count > 10, "the story streams in many pieces");
        Assert.Equal(24, events[0].Json.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal("end_turn", events.Single(e => e.Type == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void RenderBody_LineEndingAndComments_FrameEveryLineWithTheReplysLineEnding(string lineEnding)
    {
        var reply = new EmulatorReply().AddText("a\nb", chunkSize: 1).WithLineEnding(lineEnding).WithComments();

        var body = Encoding.UTF8.GetString(Wire.RenderBody(reply));
        var events = RenderedEvent.Parse(Wire.RenderBody(reply));

        Assert.StartsWith($": PROCESSING{lineEnding}{lineEnding}event: message_start{lineEnding}data: {{", body, StringComparison.Ordinal);
        Assert.Equal(events.Length, CountOccurrences(body, $"{lineEnding}{lineEnding}: PROCESSING{lineEnding}{lineEnding}event: ") + 1);
        Assert.Equal("a\nb", string.Concat(events.Where(e => e.Type == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString())));
        Assert.EndsWith($"event: message_stop{lineEnding}data: {{\"type\":\"message_stop\"}}{lineEnding}{lineEnding}", body, StringComparison.Ordinal);
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public void RawReasoningPhasedTextRefusalAndPolls_AreRenderedAsDocumented()
    {
        var reply = new EmulatorReply()
            .AddRawReasoning("Raw thought.", chunkSize: 100)
            .AddPhasedText("Working.", "commentary", chunkSize: 100)
            .AddRefusal("No.", chunkSize: 100)
            .WithPollsBeforeCompletion(2);

        var messages = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("content");
        var messageBlocks = Wire.RenderStream(reply).Count(e => e.EventType == "content_block_start");

        JsonAssert.Equal("""[{"type":"thinking","thinking":"Raw thought.","signature":""},{"type":"text","text":"Working."}]""", messages);
        Assert.Equal(2, messageBlocks);
    }

    [Fact]
    public void WithExtraFields_OfAToolCall_InTheBlockStartAndTheCompleteBlock()
    {
        var reply = new EmulatorReply().AddToolCall("toolu_1", "f", "{}").WithExtraFields("""{"caller":{"type":"direct"}}""");

        var start = RenderedEvent.Parse(Wire.RenderBody(reply))
            .Single(e => e.Json.GetProperty("type").GetString() == "content_block_start")
            .Json.GetProperty("content_block");
        var block = JsonDocument.Parse(Wire.RenderCompletion(reply)).RootElement.GetProperty("content")[0];

        JsonAssert.Equal("""{"type":"direct"}""", start.GetProperty("caller"));
        JsonAssert.Equal("""{"type":"direct"}""", block.GetProperty("caller"));
    }
}
