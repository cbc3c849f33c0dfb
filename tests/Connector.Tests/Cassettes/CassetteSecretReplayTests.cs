using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Testing;
using static YuHuan.Connector.Tests.Cassettes.CassetteRoundTrip;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>
/// A server that echoes the API key: in the answer's text (as it is, URL-encoded, JSON-escaped on the wire or quoted
/// escaped in the text), in a response header, in an error message. None of it reaches the cassette file in any form,
/// and the replay still works: the caller sees what the live caller saw, with the marker where the key was.
/// </summary>
public sealed class CassetteSecretReplayTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "What is my key?")];

    private static readonly SecretScrubber Scrubber = new(Key);

    /// <summary>The key spelled so that a JSON reader decodes it: every character a <c>\uXXXX</c> escape.</summary>
    private static string JsonEscapedKey => string.Concat(Key.Select(c => $"\\u{(int)c:x4}"));

    [Theory]
    [MemberData(nameof(TestProtocols.AllStreamedOrNot), MemberType = typeof(TestProtocols))]
    public async Task KeyEchoedInTextAndHeader_IsNotInTheFile_AndTheReplayShowsTheMarker(YuHuanProtocol protocol, bool streaming)
    {
        using var trip = new CassetteRoundTrip(protocol);
        var echo = $"Your key is {Key} . In a link: key=%73{Key[1..]} . Quoted escaped: \\u0073{Key[1..]} . Shouted: {Key.ToUpperInvariant()} .";

        var live = await trip.RecordAsync(
            e => e.Enqueue(EmulatorReply.Text(echo).WithHeader("x-request-id", Key)),
            client => CallAsync(client, streaming, Prompt));

        Assert.Equal("no error", Describe(live.Error));
        Assert.Equal(echo, live.Response!.Text);
        var text = trip.AssertKeyNotInFile();
        Assert.Contains("\"X-Request-ID\":\"[redacted]\"", text, StringComparison.OrdinalIgnoreCase);

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming, Prompt));

        Assert.Equal(Scrubber.Scrub(echo), replay.Result.Response!.Text);
        Assert.Equal(WithTextScrubbed(live).Observed, replay.Result.Observed);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task KeyStreamedAFewCharactersPerEvent_IsNotInTheFile_NorInWhatTheReplayJoins(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);
        var echo = $"Here it is: {Key} - and once more, {Key}.";
        var reply = new EmulatorReply()
            .AddReasoning($"The user's key is {Key}.", chunkSize: 5)
            .AddText(echo, chunkSize: 7);

        var live = await trip.RecordAsync(e => e.Enqueue(reply), client => CallAsync(client, streaming: true, Prompt));

        Assert.Equal("no error", Describe(live.Error));
        Assert.Equal(echo, live.Response!.Text);
        var file = trip.AssertKeyNotInFile();

        // No event held the key whole: each holding a part of it is taken whole, so nothing of the key is left to join.
        Assert.DoesNotContain(Key[8..15], file, StringComparison.Ordinal);
        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming: true, Prompt));
        var replayed = replay.Result.Response!;
        Assert.Equal("no error", Describe(replay.Result.Error));
        Assert.DoesNotContain(Key, replayed.Text, StringComparison.Ordinal);
        Assert.Contains(CassetteScrubber.Marker, replayed.Text, StringComparison.Ordinal);
        Assert.StartsWith("Here it", replayed.Text, StringComparison.Ordinal);
        var reasoning = string.Concat(replayed.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.DoesNotContain(Key, reasoning, StringComparison.Ordinal);
        Assert.StartsWith("The u", reasoning, StringComparison.Ordinal);
        Assert.Equal(live.Updates.Count, replay.Result.Updates.Count);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task KeyJsonEscapedOnTheWire_IsNotInTheFile_AndTheReplayShowsTheMarker(YuHuanProtocol protocol)
    {
        using var trip = new CassetteRoundTrip(protocol);

        // The reader decodes the escapes: the live caller gets the key itself.
        var live = await trip.RecordAsync(
            e => e.Enqueue(EmulatorReply.RawResponse(200, "application/json", CompleteAnswer(protocol, $"Your key: {JsonEscapedKey}, again: \\u0073{Key[1..]}"))),
            client => CallAsync(client, streaming: false, Prompt));

        Assert.Equal("no error", Describe(live.Error));
        Assert.Equal($"Your key: {Key}, again: {Key}", live.Response!.Text);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming: false, Prompt));

        Assert.Equal("Your key: [redacted], again: [redacted]", replay.Result.Response!.Text);
        Assert.Equal(WithTextScrubbed(live).Observed, replay.Result.Observed);
        Assert.Empty(replay.Unplayed);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.AllStreamedOrNot), MemberType = typeof(TestProtocols))]
    public async Task KeyEchoedInAnErrorMessage_IsNotInTheFile_AndTheReplayGivesTheSameException(YuHuanProtocol protocol, bool streaming)
    {
        using var trip = new CassetteRoundTrip(protocol);

        var live = await trip.RecordAsync(
            e => e.Enqueue(EmulatorReply.HttpError(403, $"The key {Key} (or %73{Key[1..]}) may not use this model.", "permission_error")),
            client => CallAsync(client, streaming, Prompt));

        var error = Assert.IsType<YuHuanApiException>(live.Error);
        Assert.Contains("The key [redacted] (or [redacted]) may not", error.Message, StringComparison.Ordinal);
        trip.AssertKeyNotInFile();

        var replay = await trip.ReplayAsync(client => CallAsync(client, streaming, Prompt));

        Assert.Equal(live.Observed, replay.Result.Observed);
        Assert.Empty(replay.Unplayed);
    }

    /// <summary>A complete (not streamed) answer of <paramref name="protocol"/> whose text is <paramref name="jsonText"/>,
    /// written into the JSON string as it is (escapes and all).</summary>
    private static string CompleteAnswer(YuHuanProtocol protocol, string jsonText) => protocol switch
    {
        YuHuanProtocol.ChatCompletions =>
            $$$"""{"id":"chatcmpl-echo","object":"chat.completion","created":1700000000,"model":"{{{Model}}}","choices":[{"index":0,"message":{"role":"assistant","content":"{{{jsonText}}}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}""",
        YuHuanProtocol.Messages =>
            $$$"""{"id":"msg_echo","type":"message","role":"assistant","model":"{{{Model}}}","content":[{"type":"text","text":"{{{jsonText}}}"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":9}}""",
        YuHuanProtocol.Responses =>
            $$$"""{"id":"resp_echo","object":"response","created_at":1700000000,"status":"completed","model":"{{{Model}}}","output":[{"type":"message","id":"msg_echo","role":"assistant","status":"completed","content":[{"type":"output_text","text":"{{{jsonText}}}","annotations":[]}]}],"usage":{"input_tokens":5,"output_tokens":9,"total_tokens":14}}""",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "No complete answer is written for the protocol."),
    };

    /// <summary>The live result with the key taken out of every text the caller got, as the replay must show it.</summary>
    private static CallResult WithTextScrubbed(CallResult live)
    {
        var contents = live.Streamed
            ? live.Updates.SelectMany(u => u.Contents)
            : live.Response!.Messages.SelectMany(m => m.Contents);
        foreach (var text in contents.OfType<TextContent>())
        {
            text.Text = Scrubber.Scrub(text.Text)!;
        }

        return live;
    }
}
