using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// An <see cref="IProtocolState"/> that serves what it kept at <c>GET /v1/{route}/{id}</c>, under the protocol's route
/// (such as a stored response polled or resumed by id). Such a request takes no reply from the queue.
/// </summary>
internal interface IResourceEndpoint
{
    /// <summary>Answers <c>GET /v1/{route}/{id}</c>, after the emulator has recorded the request and checked its method and
    /// API key; an unknown id or a bad query gets an error in the protocol's error shape.</summary>
    /// <param name="context">The HTTP exchange.</param>
    /// <param name="emulator">The emulator, for its counters, connections and id source.</param>
    /// <param name="id">The resource id: the one non-empty path segment after the route.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away or the emulator stops.</param>
    /// <returns>A task that completes when the response is written.</returns>
    Task ServeResourceAsync(HttpContext context, YuHuanEmulator emulator, string id, CancellationToken cancellationToken);
}
