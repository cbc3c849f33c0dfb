using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>Anthropic Messages stream mapping over in-memory replays, each case across line endings and whole or trickled delivery.</summary>
public sealed class MessagesStreamTests
{
    public static TheoryData<string, int> Deliveries => MessagesSse.Deliveries;

    public static TheoryData<string, string, string, int> StopReasons
    {
        get
        {
            var data = new TheoryData<string, string, string, int>();
            (string StopReason, string FinishReason)[] reasons =
            [
                ("end_turn", "stop"),
                ("stop_sequence", "stop"),
                ("max_tokens", "length"),
                ("model_context_window_exceeded", "length"),
                ("tool_use", "tool_calls"),
                ("refusal", "content_filter"),
                ("pause_turn", "pause_turn"),
            ];
            foreach (var (stopReason, finishReason) in reasons)
            {
                foreach (var delivery in MessagesSse.Deliveries)
                {
                    data.Add(stopReason, finishReason, (string)delivery[0], (int)delivery[1]);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_TextDeltas_OneTextUpdatePerDeltaWithIdsModelAndRole(string eol, int chunk)
    {
        var sse = Message(eol, "end_turn", TextStart(0), TextDelta(0, "Once"), TextDelta(0, " upon"), TextDelta(0, " a time"), BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        Assert.Equal("Once upon a time", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(["Once", " upon", " a time"], updates.Where(u => u.Contents.OfType<TextContent>().Any()).Select(u => Assert.Single(u.Contents.OfType<TextContent>()).Text));
        AssertIdentity(updates);
        var response = updates.ToChatResponse();
        Assert.Equal(MessageId, response.ResponseId);
        Assert.Equal(Model, response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var message = Assert.Single(response.Messages);
        Assert.Equal(MessageId, message.MessageId);
        Assert.Equal(ChatRole.Assistant, message.Role);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_UnicodeEmojiAndEscapes_ConcatenateExactly(string eol, int chunk)
    {
        // Raw multi-byte UTF-8 (split across reads when trickled), JSON escapes, and a surrogate pair escaped across two deltas.
        var sse = Message(
            eol,
            "end_turn",
            TextStart(0),
            TextDelta(0, "Grüße, 世界 😀 "),
            TextDelta(0, "Caf\\u00e9 \\\"q\\\" back\\\\slash\\/ \\t tab\\nline "),
            TextDelta(0, "pair \\ud83e"),
            TextDelta(0, "\\udd14 end"),
            BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        var texts = All<TextContent>(updates);
        Assert.Equal("Grüße, 世界 😀 Café \"q\" back\\slash/ \t tab\nline pair 🤔 end", string.Concat(texts.Select(t => t.Text)));
        Assert.All(texts, t => Assert.DoesNotContain(System.Text.Rune.ReplacementChar, t.Text.EnumerateRunes()));
        Assert.Equal("Grüße, 世界 😀 Café \"q\" back\\slash/ \t tab\nline pair 🤔 end", updates.ToChatResponse().Text);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ThinkingWithSignature_SignatureOnLastReasoningPiece(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            ThinkingStart(0),
            ThinkingDelta(0, "Let me "),
            ThinkingDelta(0, "think: 2+2\\n= 4."),
            SignatureDelta(0, "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "4"),
            BlockStop(1));

        var updates = await CollectAsync(sse, chunk);

        var reasoning = All<TextReasoningContent>(updates);
        Assert.Equal(["Let me ", "think: 2+2\n= 4.", string.Empty], reasoning.Select(r => r.Text));
        Assert.Equal([null, null, "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"], reasoning.Select(r => r.ProtectedData));
        Assert.Equal("4", string.Concat(updates.Select(u => u.Text)));
        AssertIdentity(updates);

        var merged = Assert.Single(updates.ToChatResponse().Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal("Let me think: 2+2\n= 4.", merged.Text);
        Assert.Equal("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds", merged.ProtectedData);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_TwoThinkingBlocks_EachKeepsItsOwnSignature(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            ThinkingStart(0),
            ThinkingDelta(0, "first"),
            SignatureDelta(0, "sig-1"),
            BlockStop(0),
            ThinkingStart(1),
            ThinkingDelta(1, "second"),
            SignatureDelta(1, "sig-2"),
            BlockStop(1));

        var updates = await CollectAsync(sse, chunk);

        var merged = updates.ToChatResponse().Messages[0].Contents.OfType<TextReasoningContent>().ToList();
        Assert.Equal(["first", "second"], merged.Select(r => r.Text));
        Assert.Equal(["sig-1", "sig-2"], merged.Select(r => r.ProtectedData));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_RedactedThinking_ReasoningWithDataAsProtectedDataAndRedactedFlag(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            BlockStart(0, """{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"}"""),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "ok"),
            BlockStop(1));

        var updates = await CollectAsync(sse, chunk);

        var redacted = Assert.Single(All<TextReasoningContent>(updates));
        Assert.Equal(string.Empty, redacted.Text);
        Assert.Equal("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP", redacted.ProtectedData);
        Assert.Equal(true, redacted.AdditionalProperties?["redacted"]);
        Assert.Equal("ok", string.Concat(updates.Select(u => u.Text)));
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ToolUseInputJsonDeltas_EmitsOneCompleteCall(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "tool_use",
            TextStart(0),
            TextDelta(0, "Let me check."),
            BlockStop(0),
            ToolUseStart(1, "toolu_01A09q90qw90lq917835lq9", "get_weather"),
            InputJsonDelta(1, string.Empty),
            InputJsonDelta(1, "{\\\"location\\\": \\\"San Fra"),
            InputJsonDelta(1, "ncisco, CA\\\", \\\"unit\\\": \\\"fahrenheit\\\","),
            InputJsonDelta(1, " \\\"days\\\": 3, \\\"hourly\\\": true, \\\"hours\\\": [6, 12]}"),
            BlockStop(1));

        var updates = await CollectAsync(sse, chunk);

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Null(call.Exception);
        Assert.Equal(["location", "unit", "days", "hourly", "hours"], call.Arguments!.Keys);
        Assert.Equal("San Francisco, CA", Argument(call, "location").GetString());
        Assert.Equal("fahrenheit", Argument(call, "unit").GetString());
        Assert.Equal(3, Argument(call, "days").GetInt32());
        Assert.True(Argument(call, "hourly").GetBoolean());
        Assert.Equal(2, Argument(call, "hours").GetArrayLength());
        Assert.Equal("Let me check.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
        AssertIdentity(updates);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolUseBlock_CallEmittedAtBlockStopNotBefore()
    {
        // The body is fed by the test: once everything up to the last input_json_delta is consumed (the reader waits for
        // more), no call may have been yielded; the content_block_stop that follows must yield it.
        var body = new FedStream();
        using var handler = new FedHandler(body);
        using var client = new YuHuanChatClient(
            new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ModelId = "m", MaxRetries = 0, Protocol = YuHuanProtocol.Messages },
            new HttpClient(handler));
        body.Feed(Stream(
            "\n",
            MessageStart(),
            ToolUseStart(0, "toolu_1", "get_time"),
            InputJsonDelta(0, string.Empty),
            InputJsonDelta(0, "{\\\"zone\\\":"),
            InputJsonDelta(0, "\\\"UTC\\\"}")));

        await using var updates = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        var before = new List<ChatResponseUpdate>();
        var next = updates.MoveNextAsync().AsTask();
        while (await Task.WhenAny(next, body.Starved) == next)
        {
            Assert.True(await next);
            before.Add(updates.Current);
            next = updates.MoveNextAsync().AsTask();
        }

        Assert.Empty(All<FunctionCallContent>(before));

        body.Feed(Stream("\n", BlockStop(0)));
        Assert.True(await next);
        var call = Assert.Single(updates.Current.Contents.OfType<FunctionCallContent>());
        Assert.Equal("toolu_1", call.CallId);
        Assert.Equal("UTC", Argument(call, "zone").GetString());

        body.Feed(Stream("\n", MessageDelta("tool_use"), MessageStop));
        body.Complete();
        var after = new List<ChatResponseUpdate>();
        while (await updates.MoveNextAsync())
        {
            after.Add(updates.Current);
        }

        Assert.Empty(All<FunctionCallContent>(after));
        Assert.Contains(after, u => u.FinishReason == ChatFinishReason.ToolCalls);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_SeveralToolUseBlocks_OneCallEachInOrder(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "tool_use",
            ToolUseStart(0, "toolu_a", "get_weather"),
            InputJsonDelta(0, "{\\\"city\\\":\\\"Paris\\\"}"),
            BlockStop(0),
            ToolUseStart(1, "toolu_b", "get_time"),
            InputJsonDelta(1, "{\\\"zone\\\":"),
            InputJsonDelta(1, "\\\"CET\\\"}"),
            BlockStop(1),
            ToolUseStart(2, "toolu_c", "get_weather"),
            InputJsonDelta(2, "{\\\"city\\\":\\\"Oslo\\\"}"),
            BlockStop(2));

        var updates = await CollectAsync(sse, chunk);

        var calls = All<FunctionCallContent>(updates);
        Assert.Equal(["toolu_a", "toolu_b", "toolu_c"], calls.Select(c => c.CallId));
        Assert.Equal(["get_weather", "get_time", "get_weather"], calls.Select(c => c.Name));
        Assert.Equal("Paris", Argument(calls[0], "city").GetString());
        Assert.Equal("CET", Argument(calls[1], "zone").GetString());
        Assert.Equal("Oslo", Argument(calls[2], "city").GetString());
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ToolUseInvalidJson_ExceptionOnCallAndStreamCompletes(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "tool_use",
            ToolUseStart(0, "toolu_bad", "f"),
            InputJsonDelta(0, "{\\\"a\\\": tru"),
            BlockStop(0),
            ToolUseStart(1, "toolu_good", "g"),
            InputJsonDelta(1, "{\\\"b\\\": 1}"),
            BlockStop(1));

        var updates = await CollectAsync(sse, chunk);

        var calls = All<FunctionCallContent>(updates);
        Assert.Equal(2, calls.Count);
        Assert.Equal("toolu_bad", calls[0].CallId);
        Assert.Equal("f", calls[0].Name);
        Assert.NotNull(calls[0].Exception);
        Assert.Null(calls[1].Exception);
        Assert.Equal(1, Argument(calls[1], "b").GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_PartialJsonSplitInsideEscapesAndSurrogates_Parses(string eol, int chunk)
    {
        // Inner JSON split inside "\u00e9", inside "\"" and between the halves of an escaped pair; and a pair whose
        // halves arrive as two lone escaped surrogates in consecutive partial_json strings.
        var sse = Message(
            eol,
            "tool_use",
            ToolUseStart(0, "toolu_1", "search"),
            InputJsonDelta(0, "{\\\"q\\\":\\\"Caf\\\\u00"),
            InputJsonDelta(0, "e9 \\\\\\\"Tokyo\\\\"),
            InputJsonDelta(0, "\\\"\\\",\\\"e\\\":\\\"\\\\ud83d"),
            InputJsonDelta(0, "\\\\ude00\\\",\\\"f\\\":\\\"\\ud83e"),
            InputJsonDelta(0, "\\udd14\\\"}"),
            BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Null(call.Exception);
        Assert.Equal("Café \"Tokyo\"", Argument(call, "q").GetString());
        Assert.Equal("😀", Argument(call, "e").GetString());
        Assert.Equal("🤔", Argument(call, "f").GetString());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_StartAndDeltaUsage_OneMergedUsageContentAtTheEnd(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            MessageStart(usage: """{"input_tokens":100,"cache_creation_input_tokens":20,"cache_read_input_tokens":30,"output_tokens":1}"""),
            TextStart(0),
            TextDelta(0, "Hi"),
            BlockStop(0),
            MessageDelta("end_turn", """{"output_tokens":42}"""),
            MessageStop);

        var updates = await CollectAsync(sse, chunk);

        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(150, usage.InputTokenCount);
        Assert.Equal(30, usage.CachedInputTokenCount);
        Assert.Equal(42, usage.OutputTokenCount);
        Assert.Equal(192, usage.TotalTokenCount);
        Assert.Equal(20, usage.AdditionalCounts!["cache_creation_input_tokens"]);
        var usageAt = updates.FindIndex(u => u.Contents.OfType<UsageContent>().Any());
        Assert.All(updates.Skip(usageAt + 1), u => Assert.Empty(u.Contents));
        Assert.Equal(192, updates.ToChatResponse().Usage!.TotalTokenCount);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_DeltaUsageCumulative_LastOutputCountWins(string eol, int chunk)
    {
        // Usage is cumulative: a second message_delta restates the totals; the counts are not added up.
        var sse = Stream(
            eol,
            MessageStart(usage: """{"input_tokens":7,"output_tokens":1}"""),
            TextStart(0),
            TextDelta(0, "Hi"),
            BlockStop(0),
            MessageDelta(null, """{"output_tokens":3}"""),
            MessageDelta("end_turn", """{"output_tokens":9}"""),
            MessageStop);

        var updates = await CollectAsync(sse, chunk);

        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(7, usage.InputTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
        Assert.Equal(16, usage.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [MemberData(nameof(StopReasons))]
    public async Task GetStreamingResponseAsync_StopReason_MapsToFinishReason(string stopReason, string finishReason, string eol, int chunk)
    {
        var sse = Message(eol, stopReason, TextStart(0), TextDelta(0, "x"), BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        var expected = new ChatFinishReason(finishReason);
        Assert.Contains(updates, u => u.FinishReason == expected);
        Assert.All(updates.Where(u => u.FinishReason is not null), u => Assert.Equal(expected, u.FinishReason));
        Assert.Equal(expected, updates.ToChatResponse().FinishReason);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_PingsAndCommentsEverywhere_ChangeNothing(string eol, int chunk)
    {
        string[] events =
        [
            MessageStart(),
            ThinkingStart(0),
            ThinkingDelta(0, "hm"),
            SignatureDelta(0, "sig"),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "a"),
            TextDelta(1, "b"),
            BlockStop(1),
            ToolUseStart(2, "toolu_1", "f"),
            InputJsonDelta(2, "{\\\"x\\\":"),
            InputJsonDelta(2, "1}"),
            BlockStop(2),
            MessageDelta("tool_use"),
            MessageStop,
        ];
        var noisy = new List<string> { ": hello", Ping };
        foreach (var e in events)
        {
            noisy.Add(e);
            noisy.Add(Ping);
            noisy.Add(": keep-alive");
        }

        var clean = await CollectAsync(Stream(eol, events), chunk);
        var updates = await CollectAsync(Stream(eol, [.. noisy]), chunk);

        Assert.Equal(clean.Count, updates.Count);
        Assert.Equal("ab", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal("sig", Assert.Single(updates.ToChatResponse().Messages[0].Contents.OfType<TextReasoningContent>()).ProtectedData);
        Assert.Equal(1, Argument(Assert.Single(All<FunctionCallContent>(updates)), "x").GetInt32());
        Assert.Single(All<UsageContent>(updates));
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_ErrorEvent_YieldsReceivedTextThenThrowsWithErrorType(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            MessageStart(),
            TextStart(0),
            TextDelta(0, "partial "),
            TextDelta(0, "answer"),
            Error("overloaded_error", "Overloaded"));

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal("partial answer", string.Concat(received.Select(u => u.Text)));
        AssertIdentity(received);
        Assert.Equal("overloaded_error", failure.ErrorType);
        Assert.Contains("Overloaded", failure.Message);
        Assert.Null(failure.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_StreamCutOffInsideBlock_YieldsWhatArrivedThenThrowsIncomplete(string eol, int chunk)
    {
        var sse = Stream(eol, MessageStart(), TextStart(0), TextDelta(0, "Once"), TextDelta(0, " upon"));

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal("Once upon", string.Concat(received.Select(u => u.Text)));
        Assert.Equal(YuHuanErrorTypes.IncompleteStream, failure.ErrorType);
        Assert.Null(failure.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_StreamCutOffBeforeToolBlockStop_NoPartialCallAndThrowsIncomplete(string eol, int chunk)
    {
        var sse = Stream(eol, MessageStart(), ToolUseStart(0, "toolu_1", "f"), InputJsonDelta(0, "{\\\"x\\\":1}"));

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Empty(All<FunctionCallContent>(received));
        Assert.Equal(YuHuanErrorTypes.IncompleteStream, failure.ErrorType);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_StreamEndsAfterMessageDeltaWithoutMessageStop_ThrowsIncomplete(string eol, int chunk)
    {
        var sse = Stream(eol, MessageStart(), TextStart(0), TextDelta(0, "done"), BlockStop(0), MessageDelta("end_turn"));

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal("done", string.Concat(received.Select(u => u.Text)));
        Assert.Equal(YuHuanErrorTypes.IncompleteStream, failure.ErrorType);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_EmptyBody_ThrowsIncomplete(string eol, int chunk)
    {
        var (received, failure) = await CollectUntilFailureAsync(Stream(eol, ": nothing follows"), chunk);

        Assert.Empty(received);
        Assert.Equal(YuHuanErrorTypes.IncompleteStream, failure.ErrorType);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_DataNotJson_YieldsWhatArrivedThenThrowsInvalidResponse(string eol, int chunk)
    {
        var sse = Stream(eol, MessageStart(), TextStart(0), TextDelta(0, "ok"), "event: content_block_delta", "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"unterminated}", MessageStop);

        var (received, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal("ok", string.Concat(received.Select(u => u.Text)));
        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
        Assert.Null(failure.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_DataPlainText_ThrowsInvalidResponse(string eol, int chunk)
    {
        var sse = Stream(eol, MessageStart(), "event: content_block_start", "data: this is not json", MessageStop);

        var (_, failure) = await CollectUntilFailureAsync(sse, chunk);

        Assert.Equal(YuHuanErrorTypes.InvalidResponse, failure.ErrorType);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_TypeNotFirstFieldAndUnknownFields_AreRead(string eol, int chunk)
    {
        var sse = Stream(
            eol,
            """{"message":{"usage":{"output_tokens":1,"input_tokens":5,"x_new":{"a":[1,{"b":null}]}},"model":"claude-test-1","content":[],"x_meta":[true,false],"role":"assistant","id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message"},"x_trace":"t-1","type":"message_start"}""",
            """{"content_block":{"text":"","citations":null,"type":"text","x_hint":1},"index":0,"type":"content_block_start"}""",
            """{"delta":{"text":"Hello","x_flag":null,"type":"text_delta"},"index":0,"x_seq":3,"type":"content_block_delta"}""",
            """{"index":1,"content_block":{"input":{},"name":"f","id":"toolu_9","type":"tool_use"},"type":"content_block_start"}""",
            """{"index":0,"type":"content_block_stop","x_done":true}""",
            """{"delta":{"partial_json":"{\"k\":\"v\"}","type":"input_json_delta"},"index":1,"type":"content_block_delta"}""",
            """{"index":1,"type":"content_block_stop"}""",
            """{"usage":{"output_tokens":6,"x_count":2},"delta":{"stop_sequence":null,"x_reason_detail":"n/a","stop_reason":"tool_use"},"type":"message_delta"}""",
            """{"x_tail":{},"type":"message_stop"}""");

        var updates = await CollectAsync(sse, chunk);

        Assert.Equal("Hello", string.Concat(updates.Select(u => u.Text)));
        var call = Assert.Single(All<FunctionCallContent>(updates));
        Assert.Equal("toolu_9", call.CallId);
        Assert.Equal("v", Argument(call, "k").GetString());
        var usage = Assert.Single(All<UsageContent>(updates)).Details;
        Assert.Equal(5, usage.InputTokenCount);
        Assert.Equal(6, usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
        AssertIdentity(updates);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetStreamingResponseAsync_NoEventLines_TypeFieldDecides(string eol, int chunk)
    {
        string[] events = [MessageStart(), TextStart(0), TextDelta(0, "no "), TextDelta(0, "names"), BlockStop(0), MessageDelta("max_tokens"), MessageStop];

        var updates = await CollectAsync(Stream(eol, [.. events.Select(e => "data: " + e)]), chunk);

        Assert.Equal("no names", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates.ToChatResponse().FinishReason);
        Assert.Single(All<UsageContent>(updates));
        AssertIdentity(updates);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MessagesProtocol_PostsStreamingRequestToMessagesPath()
    {
        var handler = new ReplayHandler(Message("\n", "end_turn", TextStart(0), TextDelta(0, "x"), BlockStop(0)));
        using var client = handler.CreateClient(UseMessages);

        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            Assert.Equal(MessageId, update.ResponseId);
        }

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:1/v1/messages"), request.RequestUri);
        Assert.Contains("\"stream\":true", handler.RequestBodies[0].Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private sealed class FedHandler(Stream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
