using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>
/// Shapes recorded from real Chat Completions servers: several <c>reasoning_details</c> entries, a streamed refusal, and
/// fields of a tool call the mapping does not use; the next request is compared as JSON, from the live history and
/// from the history after a JSON round trip.
/// </summary>
public sealed class ChatCompletionsRecordedStreamTests
{
    private const string First = """{"type":"reasoning.text","text":"Weather first.","signature":"sig-1","format":"anthropic-claude-v1","index":0}""";
    private const string Second = """{"type":"reasoning.text","text":"Then the umbrella.","signature":"sig-2","format":"anthropic-claude-v1","index":1}""";
    private const string Encrypted = """{"type":"reasoning.encrypted","data":"ZW5jcnlwdGVk","format":"anthropic-claude-v1","index":2}""";

    private const string Call = """{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"},"extra_content":{"google":{"thought_signature":"c2lnbmF0dXJl"}}}""";

    public static TheoryData<bool, bool> Modes => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Fact]
    public async Task GetResponseAsync_SeveralReasoningDetails_OneReasoningContentPerEntryWithItsSignature()
    {
        var reply = await NextTurn.ReplyAsync(Complete(Details), stream: false);

        var reasoning = reply.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        Assert.Equal(["Weather first.", "Then the umbrella.", string.Empty], reasoning.Select(r => r.Text));
        Assert.Equal(["sig-1", "sig-2", "ZW5jcnlwdGVk"], reasoning.Select(r => r.ProtectedData));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OneChunkWithTwoReasoningDetails_OneReasoningContentPerEntry()
    {
        var reply = await NextTurn.ReplyAsync(Streamed(ChatCompletionsSse.Chunk($$"""{"role":"assistant","reasoning":"Weather first.Then the umbrella.","reasoning_details":[{{First}},{{Second}}]}""")), stream: true);

        var reasoning = reply.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        Assert.Equal(["Weather first.", "Then the umbrella."], reasoning.Select(r => r.Text));
        Assert.Equal(["sig-1", "sig-2"], reasoning.Select(r => r.ProtectedData));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_ReasoningDetails_SentBackVerbatim(bool stream, bool stored)
    {
        var body = stream
            ? Streamed(
                ChatCompletionsSse.Chunk($$"""{"role":"assistant","reasoning":"Weather first.","reasoning_details":[{{First}}]}"""),
                ChatCompletionsSse.Chunk($$"""{"reasoning":"Then the umbrella.","reasoning_details":[{{Second}}]}"""),
                ChatCompletionsSse.Chunk($$"""{"reasoning_details":[{{Encrypted}}]}"""),
                ChatCompletionsSse.Chunk("""{"content":"Take one."}"""))
            : Complete(Details);

        var request = await NextTurn.RequestAfterAsync(body, stream, stored);

        JsonAssert.Equal(
            $$"""{"role":"assistant","content":"Take one.","reasoning_details":[{{First}},{{Second}},{{Encrypted}}]}""",
            request.GetProperty("messages")[1]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_ReasoningDetailsStreamedInPieces_SentBackAsOneEntryWithItsSignature(bool stream, bool stored)
    {
        var body = stream
            ? Streamed(
                ChatCompletionsSse.Chunk("""{"role":"assistant","reasoning_details":[{"type":"reasoning.text","text":"Weather ","format":"anthropic-claude-v1","index":0}]}"""),
                ChatCompletionsSse.Chunk("""{"reasoning_details":[{"type":"reasoning.text","text":"first.","format":"anthropic-claude-v1","index":0}]}"""),
                ChatCompletionsSse.Chunk("""{"reasoning_details":[{"type":"reasoning.text","signature":"sig-1","format":"anthropic-claude-v1","index":0}]}"""),
                ChatCompletionsSse.Chunk("""{"content":"Take one."}"""))
            : Complete($$"""{"role":"assistant","content":"Take one.","reasoning_details":[{{First}}]}""");

        var request = await NextTurn.RequestAfterAsync(body, stream, stored);

        var entry = Assert.Single(request.GetProperty("messages")[1].GetProperty("reasoning_details").EnumerateArray());
        JsonAssert.Equal(First, entry);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_PlainReasoningPiecesThenASignedEntry_SentBackAsOneEntryWithTheWholeText(bool stream, bool stored)
    {
        // Pieces as reasoning_content, the last one also as a reasoning_details entry with the signature.
        var body = stream
            ? Streamed(
                ChatCompletionsSse.Chunk("""{"role":"assistant","reasoning_content":"Weather "}"""),
                ChatCompletionsSse.Chunk("""{"reasoning_content":"fir"}"""),
                ChatCompletionsSse.Chunk("""{"reasoning_content":"st.","reasoning_details":[{"type":"reasoning.text","text":"st.","signature":"sig-1"}]}"""),
                ChatCompletionsSse.Chunk("""{"content":"Take one."}"""))
            : Complete("""{"role":"assistant","content":"Take one.","reasoning_details":[{"type":"reasoning.text","text":"Weather first.","signature":"sig-1"}]}""");

        var request = await NextTurn.RequestAfterAsync(body, stream, stored);

        JsonAssert.Equal(
            """{"role":"assistant","content":"Take one.","reasoning_details":[{"type":"reasoning.text","text":"Weather first.","signature":"sig-1"}]}""",
            request.GetProperty("messages")[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NextTurn_PlainReasoningPiecesThenAnEncryptedEntry_SentBackWithBoth(bool stored)
    {
        var body = Streamed(
            ChatCompletionsSse.Chunk("""{"role":"assistant","reasoning_content":"Weather "}"""),
            ChatCompletionsSse.Chunk("""{"reasoning_content":"first."}"""),
            ChatCompletionsSse.Chunk($$"""{"reasoning_details":[{{Encrypted}}]}"""),
            ChatCompletionsSse.Chunk("""{"content":"Take one."}"""));

        var request = await NextTurn.RequestAfterAsync(body, stream: true, stored);

        var message = request.GetProperty("messages")[1];
        Assert.Contains("Weather first.", message.GetRawText(), StringComparison.Ordinal);
        JsonAssert.Equal(Encrypted, message.GetProperty("reasoning_details").EnumerateArray().Last());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_SummaryAndEncryptedDetails_SentBackAsTwoEntries(bool stream, bool stored)
    {
        const string summary = """{"type":"reasoning.summary","summary":"Checked the forecast.","format":"openai-responses-v1","index":0}""";
        const string encrypted = """{"type":"reasoning.encrypted","data":"ZW5j","id":"rs_1","format":"openai-responses-v1","index":1}""";
        var body = stream
            ? Streamed(
                ChatCompletionsSse.Chunk($$"""{"role":"assistant","reasoning":"Checked the forecast.","reasoning_details":[{{summary}}]}"""),
                ChatCompletionsSse.Chunk($$"""{"reasoning_details":[{{encrypted}}]}"""),
                ChatCompletionsSse.Chunk("""{"content":"Take one."}"""))
            : Complete($$"""{"role":"assistant","content":"Take one.","reasoning":"Checked the forecast.","reasoning_details":[{{summary}},{{encrypted}}]}""");

        var request = await NextTurn.RequestAfterAsync(body, stream, stored);

        JsonAssert.Equal(
            $$"""{"role":"assistant","content":"Take one.","reasoning_details":[{{summary}},{{encrypted}}]}""",
            request.GetProperty("messages")[1]);
    }

    [Theory]
    [MemberData(nameof(Sse.Deliveries), MemberType = typeof(Sse))]
    public async Task GetStreamingResponseAsync_RefusalInSeveralDeltas_OneErrorContent(string eol, int chunk)
    {
        var sse = Sse.Stream(
            eol,
            ChatCompletionsSse.Chunk("""{"role":"assistant","refusal":"I can't "}"""),
            ChatCompletionsSse.Chunk("""{"refusal":"help with "}"""),
            ChatCompletionsSse.Chunk("""{"refusal":"that."}"""),
            ChatCompletionsSse.Chunk("{}", "stop"),
            "[DONE]");

        var response = (await ReplayHandler.CollectAsync(sse, chunk)).ToChatResponse();

        var refusal = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>());
        Assert.Equal("I can't help with that.", refusal.Message);
        Assert.Equal("refusal", refusal.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task NextTurn_ToolCallWithFieldsTheMappingDoesNotUse_SentBackInPlace(bool stream, bool stored)
    {
        var body = stream
            ? Streamed(
                ChatCompletionsSse.Chunk("""{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""},"extra_content":{"google":{"thought_signature":"c2lnbmF0dXJl"}}}]}"""),
                ChatCompletionsSse.Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Paris\"}"}}]}"""),
                ChatCompletionsSse.Chunk("{}", "tool_calls"))
            : Complete($$"""{"role":"assistant","content":null,"tool_calls":[{{Call}}]}""", "tool_calls");

        var request = await NextTurn.RequestAfterAsync(body, stream, stored);

        JsonAssert.Equal($$"""{"role":"assistant","tool_calls":[{{Call}}]}""", request.GetProperty("messages")[1]);
    }

    private static string Details => $$"""{"role":"assistant","content":"Take one.","reasoning":"Weather first.Then the umbrella.","reasoning_details":[{{First}},{{Second}},{{Encrypted}}]}""";

    private static string Complete(string message, string finishReason = "stop") =>
        """{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m-1","choices":[{"index":0,"message":""" + message + ""","finish_reason":""" + "\"" + finishReason + "\"" + """}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""";

    private static string Streamed(params string[] chunks)
    {
        var events = new List<string>(chunks);
        if (!chunks[^1].Contains("\"finish_reason\":\"", StringComparison.Ordinal))
        {
            events.Add(ChatCompletionsSse.Chunk("{}", "stop"));
        }

        events.Add("[DONE]");
        return Sse.Stream("\n", [.. events]);
    }
}
