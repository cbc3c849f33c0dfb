using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

namespace YuHuan.Connector.Tests.Responses;

/// <summary><see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/> on the Responses protocol, streamed and complete.</summary>
public sealed class ResponsesRawRepresentationTests
{
    private const string GatewayEvent = """{"type":"gateway.cost","cost_usd":0.0021,"sequence_number":99}""";

    private const string ServiceTier = ",\"service_tier\":\"flex\"";

    private static readonly string[] Stream =
    [
        Created(),
        InProgress(),
        Added(0, ReasoningItem("rs_1")),
        SummaryDelta(0, "rs_1", "Think"),
        Done(0, ReasoningItem("rs_1", $"[{SummaryText("Think")}]", encrypted: "enc_1")),
        Added(1, MessageItem("msg_1")),
        """{"type":"response.content_part.added","item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"text":""}}""",
        TextDelta(1, "msg_1", "Hello"),
        TextDelta(1, "msg_1", " world"),
        GatewayEvent,
        """{"type":"response.output_text.done","item_id":"msg_1","output_index":1,"content_index":0,"text":"Hello world","logprobs":[{"token":"Hello","logprob":-0.1}]}""",
        Done(1, MessageItem("msg_1", "completed", $"[{OutputText("Hello world")}]")),
        Added(2, FunctionCallItem("fc_1", "call_1", "get_weather")),
        ArgumentsDelta(2, "fc_1", """{\"city\":"""),
        ArgumentsDelta(2, "fc_1", """\"Paris\"}"""),
        ArgumentsDone(2, "fc_1", """{\"city\":\"Paris\"}"""),
        Done(2, FunctionCallItem("fc_1", "call_1", "get_weather", """{\"city\":\"Paris\"}""", "completed")),
        Completed(extra: ServiceTier),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Stream_RawRepresentationOn_EveryUpdateCarriesItsEvent_AndOffYieldsTheSameUpdates(bool eventLines)
    {
        var (on, off, unmapped) = RawRepresentations.Lockstep(
            new ResponsesStreamMapper(stored: true, background: false, resumed: null, includeRawRepresentation: true),
            NewMapper(),
            [.. Stream.Select(e => (eventLines ? TypeOf(e) : string.Empty, e))]);

        Assert.Equal(Stream.Length, on.Count);
        Assert.True(unmapped >= 5, $"only {unmapped} events were unmapped");
        RawRepresentations.AssertSameResponse(on, off);
        Assert.Equal("Hello world", on.ToChatResponse().Text);
    }

    [Fact]
    public void Stream_RawRepresentationOn_UnmappedEventsSurfaceWithTheResponseIds()
    {
        var mapper = new ResponsesStreamMapper(stored: true, background: false, resumed: null, includeRawRepresentation: true);

        var updates = Feed(mapper, Stream);

        var gateway = Assert.Single(updates, u => ((JsonElement)u.RawRepresentation!).GetProperty("type").GetString() == "gateway.cost");
        Assert.Empty(gateway.Contents);
        Assert.Equal(0.0021, ((JsonElement)gateway.RawRepresentation!).GetProperty("cost_usd").GetDouble());
        var inProgress = Assert.Single(updates, u => ((JsonElement)u.RawRepresentation!).GetProperty("type").GetString() == "response.in_progress");
        Assert.Empty(inProgress.Contents);
        var textDone = Assert.Single(updates, u => ((JsonElement)u.RawRepresentation!).GetProperty("type").GetString() == "response.output_text.done");
        Assert.Equal(-0.1, ((JsonElement)textDone.RawRepresentation!).GetProperty("logprobs")[0].GetProperty("logprob").GetDouble());
        Assert.Equal("flex", ((JsonElement)updates[^1].RawRepresentation!).GetProperty("response").GetProperty("service_tier").GetString());
        AssertIdentity(updates);
    }

    [Fact]
    public void Stream_RawRepresentationOn_TheElementOutlivesTheEventBuffer()
    {
        var mapper = new ResponsesStreamMapper(stored: true, background: false, resumed: null, includeRawRepresentation: true);
        Push(mapper, Created());
        var buffer = Encoding.UTF8.GetBytes(TextDelta(0, "msg_1", "kept"));

        var update = mapper.OnEvent("response.output_text.delta"u8, buffer);
        Array.Fill(buffer, (byte)' ');

        Assert.Equal("kept", ((JsonElement)update!.RawRepresentation!).GetProperty("delta").GetString());
    }

    [Fact]
    public void Stream_BackgroundResponse_UnmappedUpdatesCarryTheContinuationToken_AndReplayedEventsStaySilent()
    {
        var mapper = new ResponsesStreamMapper(stored: true, background: true, resumed: null, includeRawRepresentation: true);
        var events = Numbered(0, Created(), InProgress(), Added(0, MessageItem("msg_1")), TextDelta(0, "msg_1", "Hi"));

        var updates = Push(mapper, events);
        var replayed = mapper.OnEvent("response.output_text.delta"u8, Encoding.UTF8.GetBytes(events[^1]));

        Assert.Null(replayed);
        Assert.Equal(events.Length, updates.Count);
#pragma warning disable MEAI001 // ContinuationToken is experimental.
        Assert.All(updates, u => Assert.NotNull(u.ContinuationToken));
#pragma warning restore MEAI001
    }

    [Fact]
    public void CompleteResponse_RawRepresentationOn_EveryUpdateCarriesTheResponseObject()
    {
        var json = ResponseObject(
            status: "completed",
            output: $"[{ReasoningItem("rs_1", $"[{SummaryText("Think")}]")},{MessageItem("msg_1", "completed", $"[{OutputText("Hello world")}]")},{FunctionCallItem("fc_1", "call_1", "get_weather", """{\"city\":\"Paris\"}""", "completed")}]",
            usage: Usage,
            extra: ServiceTier);

        var updates = RawRepresentations.Complete(
            new ResponsesStreamMapper(stored: true, background: false, resumed: null, includeRawRepresentation: true),
            NewMapper(),
            json);

        Assert.True(updates.Count > 1);
        Assert.Equal("Hello world", updates.ToChatResponse().Text);
        Assert.Equal("flex", ((JsonElement)updates[0].RawRepresentation!).GetProperty("service_tier").GetString());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OptionOn_UpdatesCarryTheirEvents_OffCarryNone()
    {
        var sse = string.Concat(Stream.Select(e => $"event: {TypeOf(e)}\ndata: {e}\n\n"));

        var on = await ReplayHandler.CollectAsync(sse, configure: o => (o.Protocol, o.IncludeRawRepresentation) = (YuHuanProtocol.Responses, true));
        var off = await ReplayHandler.CollectAsync(sse, configure: o => o.Protocol = YuHuanProtocol.Responses);

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
