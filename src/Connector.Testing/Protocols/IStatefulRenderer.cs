namespace YuHuan.Connector.Testing;

/// <summary>
/// A protocol that keeps state between requests, as a server that stores responses does: each emulator asks the
/// renderer once for an <see cref="IProtocolState"/> of its own, and serves the protocol's requests through it.
/// </summary>
/// <remarks>A renderer that does not implement it is served as it is: stateless, with
/// <see cref="IProtocolRenderer.RenderStream"/> and <see cref="IProtocolRenderer.RenderCompletion"/>.</remarks>
internal interface IStatefulRenderer : IProtocolRenderer
{
    /// <summary>Creates the state one emulator keeps for the protocol, empty.</summary>
    /// <returns>A new state; it may also implement <see cref="IResourceEndpoint"/>.</returns>
    IProtocolState CreateState();
}
