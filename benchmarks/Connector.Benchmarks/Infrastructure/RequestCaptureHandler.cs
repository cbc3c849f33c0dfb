using System.Net;
using System.Net.Http.Headers;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// Reads each request body to the end (into a counting sink, or kept when <see cref="Capture"/> is set) and
/// answers with a tiny canned non-streamed completion, so request building is measured with the same
/// transport cost for every client.
/// </summary>
internal sealed class RequestCaptureHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly byte[] _response;

    /// <summary>Initializes a handler that answers every request with <paramref name="response"/> (JSON).</summary>
    public RequestCaptureHandler(byte[] response) => _response = response;

    /// <summary>Gets or sets a value indicating whether the next bodies are kept in <see cref="LastBody"/>.</summary>
    public bool Capture { get; set; }

    /// <summary>Gets the last captured body.</summary>
    public byte[]? LastBody { get; private set; }

    /// <summary>Gets the size of the last request body.</summary>
    public long LastBodyLength { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            if (Capture)
            {
                LastBody = await content.ReadAsByteArrayAsync(cancellationToken);
                LastBodyLength = LastBody.Length;
            }
            else
            {
                using var sink = new CountingStream();
                await content.CopyToAsync(sink, cancellationToken);
                LastBodyLength = sink.Length;
            }
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(_response) };
        response.Content.Headers.ContentType = Json;
        return response;
    }
}
