using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Http;

/// <summary>Transport behaviour that needs exact control of the bytes: failures after the first byte, odd content types.</summary>
public sealed class GatewayTransportTests
{
    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingResponseAsync_ConnectionLostAfterFirstBytes_ThrowsAndNeverRetries(YuHuanProtocol protocol)
    {
        // The events up to and with the first piece of text, as the emulator renders them, then a reset connection.
        var wire = TestProtocols.Kit(protocol);
        var partial = wire.RenderEvents(new EmulatorReply().AddText("partial", chunkSize: 100)).Take(wire.EventsBeforeText + 1).SelectMany(e => e);
        var handler = new FailingBodyHandler(Encoding.UTF8.GetString([.. partial]));
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ModelId = "m", MaxRetries = 3, Protocol = protocol }, new HttpClient(handler));
        var text = new List<string>();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                text.Add(update.Text);
            }
        });

        Assert.Equal("partial", string.Concat(text));
        Assert.Equal(1, handler.Requests);
        Assert.IsType<IOException>(ex.InnerException);
        Assert.Contains("lost", ex.Message);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetStreamingResponseAsync_JsonInsteadOfStream_YieldsTheWholeResponse(YuHuanProtocol protocol)
    {
        var body = TestProtocols.Kit(protocol).RenderCompletion(EmulatorReply.Text("whole").WithUsage(1, 1));
        var handler = new ReplayHandler(Encoding.UTF8.GetString(body), "application/json");
        using var client = handler.CreateClient(o => o.Protocol = protocol);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("whole", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(2, response.Usage!.TotalTokenCount);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task GetResponseAsync_StreamInsteadOfJson_PutsTheStreamTogether(YuHuanProtocol protocol)
    {
        var body = TestProtocols.Kit(protocol).RenderBody(new EmulatorReply().WithId("c").AddText("streamed", chunkSize: 4));
        var handler = new ReplayHandler(Encoding.UTF8.GetString(body));
        using var client = handler.CreateClient(o => o.Protocol = protocol);

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("streamed", response.Text);
        Assert.Equal("c", response.ResponseId);
    }

    [Theory]
    [InlineData("text/html", "<html><body>hello</body></html>")]
    [InlineData("text/plain", "ok")]
    public async Task GetStreamingResponseAsync_NonStreamContentTypeOn200_ThrowsClearError(string contentType, string body)
    {
        using var client = new ReplayHandler(body, contentType).CreateClient();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi"))
            {
            }
        });

        Assert.Null(ex.StatusCode);
        Assert.Equal(YuHuanErrorTypes.InvalidResponse, ex.ErrorType);
        Assert.Contains(contentType, ex.Message);
    }

    /// <summary>
    /// Gets error bodies of every shape, each with the text and type the exception must carry: an HTML page, each
    /// protocol's own error object, an empty body, and a gateway's error object with a numeric code.
    /// </summary>
    public static TheoryData<HttpStatusCode, string, string, string, string> ErrorBodies
    {
        get
        {
            var data = new TheoryData<HttpStatusCode, string, string, string, string>
            {
                { HttpStatusCode.BadGateway, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "502 Bad Gateway", "server_error" },
            };
            foreach (var body in TestProtocols.Kits.Select(kit => kit.ErrorBody("The key was refused.", "authentication_error", null)).Distinct())
            {
                data.Add(HttpStatusCode.Unauthorized, "application/json", body, "The key was refused.", "authentication_error");
            }

            data.Add(HttpStatusCode.TooManyRequests, "application/json", string.Empty, "429", "rate_limit_error");
            data.Add((HttpStatusCode)529, "application/json", """{"error":{"message":"Overloaded","type":"overloaded_error","code":529}}""", "Overloaded", "overloaded_error");
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ErrorBodies))]
    public async Task GetResponseAsync_ErrorBodiesOfEveryShape_ThrowWithStatusAndMessage(HttpStatusCode status, string contentType, string body, string expectedText, string expectedType)
    {
        using var client = new ReplayHandler(body, contentType, status).CreateClient();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.Equal((int)status, ex.StatusCode);
        Assert.Equal(expectedType, ex.ErrorType);
        Assert.Contains(expectedText, ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_HugeErrorMessage_IsTruncatedInTheExceptionMessage()
    {
        var message = new string('x', 50_000);
        using var client = new ReplayHandler("{\"error\":{\"message\":\"" + message + "\"}}", "application/json", HttpStatusCode.BadRequest).CreateClient();

        var ex = await Assert.ThrowsAsync<YuHuanApiException>(() => client.GetResponseAsync("hi"));

        Assert.InRange(ex.Message.Length, 100, 2_000);
        Assert.Contains("truncated", ex.Message);
    }

    private sealed class FailingBodyHandler(string prefix) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            var content = new StreamContent(new FailingStream(Encoding.UTF8.GetBytes(prefix)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    private sealed class FailingStream(byte[] prefix) : MemoryStream(prefix)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = Read(buffer.Span);
            return read > 0 ? ValueTask.FromResult(read) : ValueTask.FromException<int>(new IOException("Connection reset by peer."));
        }
    }
}
