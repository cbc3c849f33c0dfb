using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Messages.MessagesSse;

namespace YuHuan.Connector.Tests.Messages;

/// <summary><see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/> on the Messages protocol, streamed and complete.</summary>
public sealed class MessagesRawRepresentationTests
{
    private const string GatewayEvent = """{"type":"gateway_metrics","latency_ms":12}""";

    private static readonly string[] Stream =
    [
        Ping,
        MessageStart(),
        ThinkingStart(0),
        ThinkingDelta(0, "Think"),
        SignatureDelta(0, "sig_1"),
        BlockStop(0),
        TextStart(1),
        TextDelta(1, "Hello"),
        Ping,
        TextDelta(1, " world"),
        BlockStop(1),
        GatewayEvent,
        ToolUseStart(2, "toolu_1", "get_weather"),
        InputJsonDelta(2, """{\"city\":"""),
        InputJsonDelta(2, """\"Paris\"}"""),
        BlockStop(2),
        MessageDelta("tool_use"),
        MessageStop,
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Stream_RawRepresentationOn_EveryUpdateCarriesItsEvent_AndOffYieldsTheSameUpdates(bool eventLines)
    {
        var (on, off, unmapped) = RawRepresentations.Lockstep(
            new MessagesStreamMapper(includeRawRepresentation: true),
            new MessagesStreamMapper(),
            [.. Stream.Select(e => (eventLines ? TypeOf(e) : string.Empty, e))]);

        Assert.Equal(Stream.Length, on.Count);
        Assert.True(unmapped >= 5, $"only {unmapped} events were unmapped");
        RawRepresentations.AssertSameResponse(on, off);
        Assert.Equal("Hello world", on.ToChatResponse().Text);
    }

    [Fact]
    public void Stream_RawRepresentationOn_UnmappedEventsSurfaceWithTheMessageIds()
    {
        var (on, _, _) = RawRepresentations.Lockstep(
            new MessagesStreamMapper(includeRawRepresentation: true),
            new MessagesStreamMapper(),
            [.. Stream.Select(e => (TypeOf(e), e))]);

        // A ping before message_start knows no id yet; one after it carries the message's.
        Assert.Null(on[0].ResponseId);
        Assert.Equal(MessageId, on[8].ResponseId);
        Assert.Empty(on[8].Contents);
        var gateway = on[Array.IndexOf(Stream, GatewayEvent)];
        Assert.Empty(gateway.Contents);
        Assert.Equal(12, ((JsonElement)gateway.RawRepresentation!).GetProperty("latency_ms").GetInt32());
        Assert.Equal(MessageId, gateway.MessageId);
    }

    [Fact]
    public void CompleteResponse_RawRepresentationOn_EveryUpdateCarriesTheMessageObject()
    {
        const string Json = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-test-1","content":[{"type":"thinking","thinking":"Think","signature":"sig"},{"type":"text","text":"Hello world"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5},"container":{"id":"container_1"}}""";

        var updates = RawRepresentations.Complete(new MessagesStreamMapper(includeRawRepresentation: true), new MessagesStreamMapper(), Json);

        Assert.Equal("Hello world", updates.ToChatResponse().Text);
        Assert.Equal("container_1", ((JsonElement)updates[0].RawRepresentation!).GetProperty("container").GetProperty("id").GetString());
    }

    [Theory]
    [MemberData(nameof(Deliveries), MemberType = typeof(MessagesSse))]
    public async Task GetStreamingResponseAsync_OptionOn_UpdatesCarryTheirEvents_OffCarryNone(string eol, int chunk)
    {
        var sse = MessagesSse.Stream(eol, Stream);

        var on = await ReplayHandler.CollectAsync(sse, chunk, o => (o.Protocol, o.IncludeRawRepresentation) = (YuHuanProtocol.Messages, true));
        var off = await CollectAsync(sse, chunk);

        Assert.Equal(Stream.Length, on.Count);
        for (var i = 0; i < Stream.Length; i++)
        {
            RawRepresentations.AssertCarries(Stream[i], on[i]);
        }

        Assert.All(off, u => Assert.Null(u.RawRepresentation));
        RawRepresentations.AssertSameResponse(on, off);
    }

    private static string TypeOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("type").GetString()!;
    }
}
