using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>
/// Shapes recorded from real Messages servers and gateways: fields of known blocks the mapping does not use (a
/// <c>tool_use</c> block's <c>caller</c>) and Mistral content-part arrays copied into text; the next request is compared
/// as JSON, from the live history and from the history after a JSON round trip.
/// </summary>
public sealed class MessagesRecordedStreamTests
{
    private const string Caller = """{"type":"code_execution_20250825","tool_id":"srvtoolu_1"}""";

    public static TheoryData<bool, bool> Modes => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_ToolUseWithCaller_SentBackWithIt(bool stream, bool stored)
    {
        var body = stream
            ? Message(
                "\n",
                "tool_use",
                BlockStart(0, $$"""{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{},"caller":{{Caller}}}"""),
                InputJsonDelta(0, """{\"city\":\"Paris\"}"""),
                BlockStop(0))
            : Complete($$"""[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"},"caller":{{Caller}}}]""", "tool_use");

        var request = await NextTurn.RequestAfterAsync(body, stream, stored, UseMessages);

        JsonAssert.Equal(
            $$"""{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"},"caller":{{Caller}}}]}""",
            request.GetProperty("messages")[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NextTurn_PrefilledMessageStartWithCaller_SentBackWithIt(bool stored)
    {
        var body = Stream(
            "\n",
            $$$"""{"type":"message_start","message":{"id":"{{{MessageId}}}","type":"message","role":"assistant","model":"{{{Model}}}","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"},"caller":{{{Caller}}}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{{{StartUsage}}}}}""",
            MessageStop);

        var request = await NextTurn.RequestAfterAsync(body, stream: true, stored, UseMessages);

        JsonAssert.Equal(
            $$"""{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"},"caller":{{Caller}}}]}""",
            request.GetProperty("messages")[1]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_UnknownFieldsOfTextAndThinkingBlocks_SentBackInPlace(bool stream, bool stored)
    {
        var body = stream
            ? Message(
                "\n",
                "end_turn",
                BlockStart(0, """{"type":"thinking","thinking":"","signature":"","origin":"summarizer"}"""),
                ThinkingDelta(0, "Plan."),
                SignatureDelta(0, "sig-1"),
                BlockStop(0),
                BlockStart(1, """{"type":"text","text":"","lang":"en"}"""),
                TextDelta(1, "Sunny."),
                BlockStop(1))
            : Complete("""[{"type":"thinking","thinking":"Plan.","signature":"sig-1","origin":"summarizer"},{"type":"text","text":"Sunny.","lang":"en"}]""", "end_turn");

        var request = await NextTurn.RequestAfterAsync(body, stream, stored, UseMessages);

        JsonAssert.Equal(
            """{"role":"assistant","content":[{"type":"thinking","thinking":"Plan.","signature":"sig-1","origin":"summarizer"},{"type":"text","text":"Sunny.","lang":"en"}]}""",
            request.GetProperty("messages")[1]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_UnknownFieldsOfACitedTextBlock_SentBackInPlace(bool stream, bool stored)
    {
        const string citation = """{"type":"web_search_result_location","url":"https://a.example/","title":"A","cited_text":"Sunny","encrypted_index":"ei-1"}""";
        var body = stream
            ? Message(
                "\n",
                "end_turn",
                BlockStart(0, """{"type":"text","text":"","lang":"en"}"""),
                Delta(0, $$"""{"type":"citations_delta","citation":{{citation}}}"""),
                TextDelta(0, "Sunny."),
                BlockStop(0))
            : Complete($$"""[{"type":"text","text":"Sunny.","lang":"en","citations":[{{citation}}]}]""", "end_turn");

        var request = await NextTurn.RequestAfterAsync(body, stream, stored, UseMessages);

        JsonAssert.Equal(
            $$"""{"role":"assistant","content":[{"type":"text","text":"Sunny.","lang":"en","citations":[{{citation}}]}]}""",
            request.GetProperty("messages")[1]);
    }

    [Theory]
    [MemberData(nameof(Deliveries), MemberType = typeof(MessagesSse))]
    public async Task GetStreamingResponseAsync_ContentPartArraysInTextDelta_ReadAsTextAndReasoning(string eol, int chunk)
    {
        var sse = Message(
            eol,
            "end_turn",
            TextStart(0),
            Delta(0, """{"type":"text_delta","text":[{"type":"thinking","thinking":[{"type":"text","text":"Let me think."}]}]}"""),
            Delta(0, """{"type":"text_delta","text":[{"type":"text","text":"It is "}]}"""),
            TextDelta(0, "sunny."),
            BlockStop(0));

        var updates = await CollectAsync(sse, chunk);

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("Let me think.", string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("It is sunny.", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
        Assert.NotNull(Assert.Single(contents.OfType<UsageContent>()).Details.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ContentPartArrayInATextBlock_ReadAsTextAndReasoning()
    {
        var body = Complete("""[{"type":"text","text":[{"type":"thinking","thinking":[{"type":"text","text":"Let me think."}]},{"type":"text","text":"It is sunny."}]}]""", "end_turn");

        var reply = await NextTurn.ReplyAsync(body, stream: false, UseMessages);

        var contents = reply.Messages.SelectMany(m => m.Contents).ToList();
        Assert.Equal("Let me think.", Assert.Single(contents.OfType<TextReasoningContent>()).Text);
        Assert.Equal("It is sunny.", reply.Text);
        Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
    }

    private static string Complete(string content, string stopReason) =>
        $$$"""{"id":"{{{MessageId}}}","type":"message","role":"assistant","model":"{{{Model}}}","content":{{{content}}},"stop_reason":"{{{stopReason}}}","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}""";
}
