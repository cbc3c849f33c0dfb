using System.Net;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// A real socket handler (with the same automatic decompression the client's own one has) that counts what the
/// client has not let go of: requests still being sent and responses whose content was not disposed.
/// </summary>
internal sealed class TrackingHandler : DelegatingHandler
{
    private int _inFlight;
    private int _openResponses;
    private int _requests;

    public TrackingHandler()
        : base(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All })
    {
    }

    /// <summary>Gets the number of requests sent whose response headers have not arrived (or failed) yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the number of responses received whose content was not disposed yet.</summary>
    public int OpenResponses => Volatile.Read(ref _openResponses);

    /// <summary>Gets the number of requests sent.</summary>
    public int Requests => Volatile.Read(ref _requests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref _openResponses);
            response.Content = new TrackedContent(response.Content, () => Interlocked.Decrement(ref _openResponses));
            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
