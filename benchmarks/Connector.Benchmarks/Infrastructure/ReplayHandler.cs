using System.Net;
using System.Net.Http.Headers;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// Answers every request with the same pre-built body, straight from memory, so a benchmark measures only
/// the client. The request body is read to the end first, as a real transport would send it: a client that
/// serializes lazily pays for it here too.
/// </summary>
internal sealed class ReplayHandler : HttpMessageHandler
{
    private readonly byte[] _body;
    private readonly MediaTypeHeaderValue _mediaType;
    private readonly string _path;

    /// <summary>Initializes a handler that answers requests to a path ending in <paramref name="path"/>.</summary>
    /// <param name="body">The response body served to every request.</param>
    /// <param name="mediaType">The response media type, such as <c>text/event-stream</c>.</param>
    /// <param name="path">The end of the request path, such as <c>/chat/completions</c>; other paths get 404.</param>
    public ReplayHandler(byte[] body, string mediaType, string path)
    {
        _body = body;
        _mediaType = new MediaTypeHeaderValue(mediaType);
        _path = path;
    }

    /// <summary>Gets the number of request body bytes of the last request.</summary>
    public long LastRequestBytes { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            using var sink = new CountingStream();
            await content.CopyToAsync(sink, cancellationToken);
            LastRequestBytes = sink.Length;
        }

        if (request.RequestUri is null || !request.RequestUri.AbsolutePath.EndsWith(_path, StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(_body),
        };
        response.Content.Headers.ContentType = _mediaType;
        return response;
    }
}
