using System.Diagnostics;
using System.Net.Http.Headers;

namespace YuHuan.Connector.Testing;

/// <summary>
/// A <see cref="DelegatingHandler"/> that writes each exchange it passes on to a cassette file: method, path, query and
/// body of the request; status, the headers that matter and the body of the response as its bytes arrived, piece by piece
/// with their times. Request headers are never written, and every secret (the API key, secret headers and fields, further
/// values of <see cref="CassetteOptions"/>) is taken out of everything that is, in any form it may be quoted in.
/// </summary>
/// <remarks>
/// <para>Put it in front of the handler that talks to the gateway: <c>new HttpClient(new CassetteRecorder(path) { InnerHandler =
/// new SocketsHttpHandler() })</c>, or through <c>IHttpClientFactory</c>:
/// <c>services.AddHttpClient(YuHuanServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() =&gt; new CassetteRecorder(path))</c>
/// (<see cref="CassetteSession.CreateHandler"/> gives one recorder file to several handlers). The file is replaced when the
/// recorder is made and rewritten whole each time an exchange ends: when its body was read to the end, the connection broke
/// (<see cref="CassetteOutcome.Cut"/>), the reader stopped (<see cref="CassetteOutcome.Abandoned"/>), or no response came
/// (<see cref="CassetteOutcome.Failed"/>). A request cancelled before its response arrived (by the caller, or by the <c>HttpClient</c>'s timeout, which cancels the
/// same way) is not kept. A body that arrived compressed is kept decoded; one that is not UTF-8 is scrubbed byte by byte.</para>
/// <para>Reading the response through the recorder changes nothing for the caller: the body streams as it arrives, and
/// disposing it closes the connection at once.</para>
/// </remarks>
public sealed class CassetteRecorder : DelegatingHandler
{
    private static readonly string[] KeyHeaders = ["Authorization", "x-api-key", "api-key"];

    private readonly CassetteRecording _recording;

    /// <summary>Initializes a recorder that writes to <paramref name="path"/>, replacing the file; set
    /// <see cref="DelegatingHandler.InnerHandler"/> or let <c>IHttpClientFactory</c> set it.</summary>
    /// <param name="path">The cassette file.</param>
    /// <param name="options">What is secret and which headers to record; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty, or a field name in
    /// <paramref name="options"/> is not valid.</exception>
    public CassetteRecorder(string path, CassetteOptions? options = null)
        : this(new CassetteRecording(path, options ?? new CassetteOptions()))
    {
    }

    internal CassetteRecorder(CassetteRecording recording)
    {
        _recording = recording;
    }

    /// <summary>Gets the exchanges recorded so far (what the file holds).</summary>
    public Cassette Cassette => _recording.Snapshot();

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: a recorder records asynchronous sends only.</exception>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A cassette recorder records asynchronous sends only; call SendAsync.");

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">The request body is not UTF-8 text (nothing is sent).</exception>
    /// <exception cref="IOException">An earlier exchange could not be written to the cassette file.</exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _recording.ThrowIfSaveFailed();
        var started = Stopwatch.GetTimestamp();
        var scrubber = CreateScrubber(request.Headers);
        var body = string.Empty;
        if (request.Content is { } content)
        {
            // Buffered, so the inner handler can still send it.
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            body = CassetteFormat.TryDecode(bytes)
                ?? throw new NotSupportedException($"A cassette keeps request bodies as text, and the body of this {request.Method} request is not UTF-8; it was not sent.");
        }

        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        body = scrubber.Scrub(scrubber.RedactFields(body, learn: true));
        var recorded = new CassetteRequest(request.Method.Method, scrubber.Scrub(ServedPath(uri)), scrubber.Scrub(uri.Query), body);
        var number = _recording.Begin();

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failed = new CassetteExchange(recorded, response: null, CassetteOutcome.Failed, Stopwatch.GetElapsedTime(started), scrubber.Scrub(ex.Message));
            _recording.Finish(number, failed);
            throw;
        }

        var headers = new List<KeyValuePair<string, string>>();
        AddRecordedHeaders(headers, response.Headers, scrubber);
        AddRecordedHeaders(headers, response.Content.Headers, scrubber);
        var head = new CassetteResponse(Stopwatch.GetElapsedTime(started), (int)response.StatusCode, headers, response.Content.Headers.ContentLength);
        var sink = new RecordedBody(_recording, number, recorded, head, scrubber, started, [.. response.Content.Headers.ContentEncoding]);
        response.Content = new RecordingContent(response.Content, sink);
        return response;
    }

    /// <summary>
    /// Gets the path a replaying emulator serves the request at: the emulator serves the gateway's paths under
    /// <c>/v1/</c>, so a gateway reached under another base (<see cref="CassetteOptions.GatewayEndpoint"/> such as
    /// <c>https://proxy.example/yuhuan/v1/</c>) has its base written as <c>/v1/</c>.
    /// </summary>
    private string ServedPath(Uri uri)
    {
        const string ServedBase = "/v1/";
        var gatewayBase = _recording.Options.GatewayEndpoint.AbsolutePath;
        gatewayBase = gatewayBase.EndsWith('/') ? gatewayBase : gatewayBase + "/";
        var path = uri.AbsolutePath;
        return !string.Equals(gatewayBase, ServedBase, StringComparison.Ordinal) && path.StartsWith(gatewayBase, StringComparison.Ordinal)
            ? string.Concat(ServedBase, path.AsSpan(gatewayBase.Length))
            : path;
    }

    private void AddRecordedHeaders(List<KeyValuePair<string, string>> headers, HttpHeaders source, CassetteScrubber scrubber)
    {
        foreach (var (name, values) in source)
        {
            if (_recording.Options.Records(name) && !_recording.Options.SecretHeaders.Contains(name))
            {
                headers.Add(new(name, scrubber.Scrub(string.Join(", ", values))));
            }
        }
    }

    private CassetteScrubber CreateScrubber(HttpRequestHeaders requestHeaders)
    {
        var options = _recording.Options;
        var scrubber = new CassetteScrubber(_recording.SecretFields, options.Secrets);
        foreach (var name in KeyHeaders.Concat(options.SecretHeaders))
        {
            if (!requestHeaders.TryGetValues(name, out var values))
            {
                continue;
            }

            foreach (var value in values)
            {
                scrubber.AddSecret(value);

                // "Bearer <key>": the key alone is what a server may echo.
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0)
                {
                    scrubber.AddSecret(value[(space + 1)..].Trim());
                }
            }
        }

        return scrubber;
    }
}
