using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Responses.ResponsesSse;

#pragma warning disable MEAI001 // Background responses are experimental.

namespace YuHuan.Connector.Tests.Responses;

/// <summary>
/// Automatic resumption of a background response over loopback, against servers the emulator does not play: one that
/// replays what the client already has and then ends the stream early (the resumptions must stop after
/// <c>MaxRetries</c> without progress, and wait like retries), and one that names a response id no path may hold.
/// Continuation tokens a caller restored from bytes are checked before anything is sent.
/// </summary>
public sealed class ResponsesResumeTests
{
    /// <summary>Past this many requests the servers below answer 400, so a client that never stops resuming still ends.</summary>
    private const int Cap = 100;

    private const string Key = "sk-resume-secret-5511";

    public static TheoryData<string> ReplayShapes => new() { "created-then-end", "all-numbered-zero" };

    [Theory]
    [MemberData(nameof(ReplayShapes))]
    public async Task ServerReplayingWhatWasReadThenDropping_ResumesStopAfterMaxRetries_WithATypedError(string shape)
    {
        await using var server = await LoopbackServer.StartAsync((context, number) => number > Cap ? RefuseAsync(context) : ReplayAsync(context, shape));
        using var client = Client(server, maxRetries: 2, maxRetryDelay: TimeSpan.FromMilliseconds(20));

        var (updates, error) = await StreamAsync(client);

        var ex = Assert.IsType<YuHuanApiException>(error);
        Assert.Contains(ex.ErrorType, new[] { YuHuanErrorTypes.ConnectionError, YuHuanErrorTypes.IncompleteStream });
        var requests = server.Requests;

        // The POST, then MaxRetries resumptions that read nothing new.
        Assert.Equal(["POST", "GET", "GET"], requests.Select(r => r.Method));
        Assert.All(requests.Skip(1), r => Assert.Equal("/v1/responses/resp_loop?stream=true&starting_after=0", r.PathAndQuery));
        Assert.Equal("resp_loop", Assert.Single(updates).ResponseId);
    }

    [Fact]
    public async Task ResumptionsWithoutProgress_WaitLikeRetries()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        var ends = new ConcurrentDictionary<int, TimeSpan>();
        LoopbackServer? server = null;
        await using var started = server = await LoopbackServer.StartAsync(async (context, number) =>
        {
            if (number > Cap)
            {
                await RefuseAsync(context);
                return;
            }

            // The moment before the end of this reply is sent, by the server's clock: the client cannot have seen the end sooner.
            await WriteEventsAsync(context, [("response.created", WithSequence(Created("resp_loop"), 0))]);
            ends[number] = server!.Now;
            await context.Response.CompleteAsync();
        });
        using var client = Client(server, maxRetries: 3, maxRetryDelay: delay);

        var (_, error) = await StreamAsync(client);

        Assert.IsType<YuHuanApiException>(error);
        var arrivals = server.Requests.Select(r => r.At).ToList();
        Assert.Equal(4, arrivals.Count);

        // Each resumption waited the backoff (capped at MaxRetryDelay, which is shorter than the first backoff step) after it
        // saw the reply before it end. By the server's clock, from before that end was sent to after the next request came, so
        // a loaded machine's delays only lengthen the gap; the timer's early tick is allowed for.
        for (var i = 1; i < arrivals.Count; i++)
        {
            var gap = arrivals[i] - ends[i];
            Assert.True(gap >= delay - TimeSpan.FromMilliseconds(20), $"resumption {i} came {gap.TotalMilliseconds} ms after the reply before it ended");
        }
    }

    [Fact]
    public async Task ResumptionsThatEachReadSomethingNew_GoOnPastMaxRetries_AndComplete()
    {
        // Each request delivers one more numbered event and ends early; the last one completes the response.
        await using var server = await LoopbackServer.StartAsync((context, number) =>
        {
            if (number > 6)
            {
                return RefuseAsync(context);
            }

            var events = new List<(string, string)>();
            if (number == 1)
            {
                events.Add(("response.created", WithSequence(Created("resp_loop"), 0)));
                events.Add(("response.output_item.added", WithSequence(Added(0, MessageItem("msg_1")), 1)));
            }
            else if (number < 6)
            {
                events.Add(("response.output_text.delta", WithSequence(TextDelta(0, "msg_1", "p" + number), number)));
            }
            else
            {
                events.Add(("response.completed", WithSequence(Completed(id: "resp_loop"), number)));
                return WriteEventsAsync(context, events);
            }

            return LoopbackServer.StreamThenEndAsync(context, events);
        });
        using var client = Client(server, maxRetries: 1, maxRetryDelay: TimeSpan.FromMilliseconds(5));

        var (updates, error) = await StreamAsync(client);

        Assert.Null(error);
        Assert.Equal("p2p3p4p5", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(6, server.Requests.Count);
        Assert.Equal("/v1/responses/resp_loop?stream=true&starting_after=5", server.Requests[^1].PathAndQuery);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    public async Task ServerNamingAResponseIdThatIsNoPathSegment_FailsAsInvalidResponse_WithoutLeavingResponses(string id)
    {
        await using var server = await LoopbackServer.StartAsync((context, number) => number > Cap
            ? RefuseAsync(context)
            : LoopbackServer.StreamThenEndAsync(context, [("response.created", WithSequence(Created(id), number))]));
        using var client = Client(server, maxRetries: 2, maxRetryDelay: TimeSpan.FromMilliseconds(5));

        var (_, error) = await StreamAsync(client);

        var ex = Assert.IsType<YuHuanApiException>(error);
        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
        Assert.All(server.Requests, r => Assert.StartsWith("/v1/responses", r.PathAndQuery, StringComparison.Ordinal));
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    public async Task TokenWithAResponseIdThatIsNoPathSegment_IsAnArgumentException_AndNothingIsSent(string id)
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => RefuseAsync(context));
        using var client = Client(server, maxRetries: 0, maxRetryDelay: TimeSpan.FromMilliseconds(5));
        var token = ResponseContinuationToken.FromBytes(Encoding.UTF8.GetBytes($$"""{"response_id":"{{id}}","sequence_number":1}"""));

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetStreamingResponseAsync([], new ChatOptions { ContinuationToken = token }).ToListAsync().AsTask());

        Assert.Contains("ContinuationToken", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1e30")]
    [InlineData("9223372036854775808")]
    [InlineData("\"7\"")]
    [InlineData("true")]
    [InlineData("{}")]
    public async Task TokenWithASequenceNumberThatIsNoPosition_IsAnArgumentException_AndNothingIsSent(string sequence)
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => RefuseAsync(context));
        using var client = Client(server, maxRetries: 0, maxRetryDelay: TimeSpan.FromMilliseconds(5));
        var token = ResponseContinuationToken.FromBytes(Encoding.UTF8.GetBytes($$"""{"response_id":"resp_1","sequence_number":{{sequence}}}"""));

        var streamed = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetStreamingResponseAsync([], new ChatOptions { ContinuationToken = token }).ToListAsync().AsTask());
        var polled = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetResponseAsync([], new ChatOptions { ContinuationToken = token }));

        Assert.Contains("ContinuationToken", streamed.Message, StringComparison.Ordinal);
        Assert.Contains("sequence_number", streamed.Message, StringComparison.Ordinal);
        Assert.Contains("sequence_number", polled.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("""{"response_id":"resp_1","sequence_number":9223372036854775807}""", "/v1/responses/resp_1?stream=true&starting_after=9223372036854775807")]
    [InlineData("""{"response_id":"resp_1","sequence_number":0}""", "/v1/responses/resp_1?stream=true&starting_after=0")]
    [InlineData("""{"response_id":"resp_1"}""", "/v1/responses/resp_1?stream=true")]
    [InlineData("""{"response_id":"resp_1","sequence_number":null}""", "/v1/responses/resp_1?stream=true")]
    [InlineData("""{"response_id":"a/b?c#d%2E..","sequence_number":3}""", "/v1/responses/a%2Fb%3Fc%23d%252E..?stream=true&starting_after=3")]
    public async Task TokenRestoredFromBytes_ResumesAtItsPosition(string json, string expected)
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => RefuseAsync(context));
        using var client = Client(server, maxRetries: 0, maxRetryDelay: TimeSpan.FromMilliseconds(5));
        var token = ResponseContinuationToken.FromBytes(Encoding.UTF8.GetBytes(json));

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetStreamingResponseAsync([], new ChatOptions { ContinuationToken = token }).ToListAsync().AsTask());

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal(expected, Assert.Single(server.Requests).PathAndQuery);
    }

    private static YuHuanChatClient Client(LoopbackServer server, int maxRetries, TimeSpan maxRetryDelay) => new(new YuHuanChatClientOptions
    {
        Endpoint = server.Endpoint,
        ApiKey = Key,
        ModelId = "m",
        Protocol = YuHuanProtocol.Responses,
        MaxRetries = maxRetries,
        MaxRetryDelay = maxRetryDelay,
        NetworkTimeout = TimeSpan.FromSeconds(30),
    });

    private static async Task<(List<ChatResponseUpdate> Updates, Exception? Error)> StreamAsync(YuHuanChatClient client)
    {
        var updates = new List<ChatResponseUpdate>();
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync("Go on.", new ChatOptions { AllowBackgroundResponses = true }))
            {
                updates.Add(update);
            }

            return (updates, null);
        }
        catch (Exception ex)
        {
            return (updates, ex);
        }
    }

    /// <summary>Answers the POST and every resumption with what the client has already read, then ends the stream early.</summary>
    private static Task ReplayAsync(HttpContext context, string shape) => LoopbackServer.StreamThenEndAsync(
        context,
        shape == "created-then-end"
            ? [("response.created", WithSequence(Created("resp_loop"), 0))]
            : [
                ("response.created", WithSequence(Created("resp_loop"), 0)),
                ("response.in_progress", WithSequence(InProgress("resp_loop"), 0)),
                ("response.output_item.added", WithSequence(Added(0, MessageItem("msg_1")), 0)),
                ("response.output_text.delta", WithSequence(TextDelta(0, "msg_1", "again"), 0)),
            ]);

    private static async Task WriteEventsAsync(HttpContext context, IEnumerable<(string Type, string Data)> events)
    {
        context.Response.ContentType = "text/event-stream";
        foreach (var (type, data) in events)
        {
            await context.Response.WriteAsync($"event: {type}\ndata: {data}\n\n");
        }
    }

    private static async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = 400;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"error":{"message":"No more.","type":"invalid_request_error","code":null}}""");
    }
}
