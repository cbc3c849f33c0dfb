namespace YuHuan.Connector.Testing;

/// <summary>Lets a replaying session's requests reach loopback addresses only, so nothing leaves the machine.</summary>
internal sealed class LoopbackOnlyHandler : DelegatingHandler
{
    private readonly Uri _endpoint;

    public LoopbackOnlyHandler(Uri endpoint)
    {
        _endpoint = endpoint;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Check(request);
        return base.Send(request, cancellationToken);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Check(request);
        return base.SendAsync(request, cancellationToken);
    }

    private void Check(HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true, IsLoopback: true })
        {
            throw new InvalidOperationException(
                $"A replaying cassette session sends nothing off the machine, but a request went to '{request.RequestUri?.GetLeftPart(UriPartial.Authority)}'; point the client at the session's Endpoint ({_endpoint}).");
        }
    }
}
