using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Http;

/// <summary>Transport behaviour that needs exact control of the bytes: failures after the first byte, odd content types.</summary>
public sealed class GatewayTransportTests
{
    [Fact]
    public async Task GetStreamingResponseAsync_ConnectionLostAfterFirstBytes_ThrowsAndNeverRetries()
    {
        var handler = new FailingBodyHandler("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n");
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ModelId = "m", MaxRetries = 3 }, new HttpClient(handler));
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

    [Fact]
    public async Task GetStreamingResponseAsync_JsonInsteadOfStream_YieldsTheWholeResponse()
    {
        var handler = new ReplayHandler("""{"id":"c1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}""", "application/json");
        using var client = handler.CreateClient();

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

    [Fact]
    public async Task GetResponseAsync_StreamInsteadOfJson_PutsTheStreamTogether()
    {
        var handler = new ReplayHandler("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"stre\"}}]}\n\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"amed\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        using var client = handler.CreateClient();

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

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "502 Bad Gateway", "server_error")]
    [InlineData(HttpStatusCode.Unauthorized, "application/json", """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""", "invalid x-api-key", "authentication_error")]
    [InlineData(HttpStatusCode.TooManyRequests, "application/json", "", "429", "rate_limit_error")]
    [InlineData((HttpStatusCode)529, "application/json", """{"error":{"message":"Overloaded","type":"overloaded_error","code":529}}""", "Overloaded", "overloaded_error")]
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
