using System.Net;

namespace YuHuan.Connector.Tests.Http;

/// <summary>
/// A handler in the caller's pipeline that fails: before any response (<paramref name="beforeResponse"/>), or under a
/// 200 event stream whose first read throws (<paramref name="onRead"/>). It counts the requests that reached it.
/// </summary>
internal sealed class ThrowingHandler(Func<Exception>? beforeResponse, Func<Exception>? onRead = null) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (beforeResponse is not null)
        {
            throw beforeResponse();
        }

        var content = new StreamContent(new ThrowingStream(onRead!));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
    }

    private sealed class ThrowingStream(Func<Exception> onRead) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(onRead());

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromException<int>(onRead());
    }
}
