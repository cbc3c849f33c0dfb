using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>An in-memory transport: answers every request with the same canned response and records the request bodies.</summary>
internal sealed class ReplayHandler : HttpMessageHandler
{
    private readonly byte[] _body;
    private readonly string _contentType;
    private readonly HttpStatusCode _status;
    private readonly int _chunk;

    public ReplayHandler(string body, string contentType = "text/event-stream", HttpStatusCode status = HttpStatusCode.OK, int chunk = int.MaxValue)
    {
        _body = Encoding.UTF8.GetBytes(body);
        _contentType = contentType;
        _status = status;
        _chunk = chunk;
    }

    public List<string> RequestBodies { get; } = [];

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Creates a client over this handler, talking Chat Completions to a loopback address.</summary>
    public YuHuanChatClient CreateClient(Action<YuHuanChatClientOptions>? configure = null)
    {
        var options = new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ApiKey = "sk-test-key", ModelId = "test-model", MaxRetries = 0 };
        configure?.Invoke(options);
        return new YuHuanChatClient(options, new HttpClient(this));
    }

    /// <summary>Streams one reply from <paramref name="sse"/>, delivered <paramref name="chunk"/> bytes per read, and collects the updates.</summary>
    public static async Task<List<ChatResponseUpdate>> CollectAsync(string sse, int chunk = int.MaxValue, Action<YuHuanChatClientOptions>? configure = null)
    {
        using var client = new ReplayHandler(sse, chunk: chunk).CreateClient(configure);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        return updates;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        RequestBodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
        var content = new StreamContent(new ChunkedStream(_body, _chunk));
        content.Headers.ContentType = new MediaTypeHeaderValue(_contentType);
        return new HttpResponseMessage(_status) { Content = content, RequestMessage = request };
    }
}
