using System.Net;
using System.Net.Http.Headers;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>An in-memory transport that answers one request with a 200 event stream whose body is the given stream.</summary>
internal sealed class StreamHandler(Stream body, string contentType = "text/event-stream") : HttpMessageHandler
{
    /// <summary>The key the clients send; it must never show in an exception.</summary>
    public const string ApiKey = "sk-oversized-SECRET-4411";

    /// <summary>Creates a client of <paramref name="protocol"/> over this handler.</summary>
    public YuHuanChatClient CreateClient(YuHuanProtocol protocol) =>
        new(new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ApiKey = ApiKey, ModelId = "m", Protocol = protocol, MaxRetries = 0 }, new HttpClient(this, disposeHandler: false));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
