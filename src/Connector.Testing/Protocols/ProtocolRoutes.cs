namespace YuHuan.Connector.Testing;

/// <summary>
/// The paths one emulator serves, and the protocol behind each: <c>/v1/{route}</c> of every protocol, and
/// <c>/v1/{route}/{id}</c> of a protocol whose state is an <see cref="IResourceEndpoint"/>. Thread-safe.
/// </summary>
internal sealed class ProtocolRoutes
{
    /// <summary>The base path every protocol is served under, as on the real gateway.</summary>
    public const string BasePath = "/v1/";

    private readonly ServedProtocol[] _protocols;

    /// <summary>Serves <paramref name="renderers"/>, each with state of its own; the first is the default.</summary>
    /// <param name="renderers">The protocols, such as <see cref="EmulatorProtocols.All"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="renderers"/> is empty, or two of them share a route.</exception>
    public ProtocolRoutes(IReadOnlyList<IProtocolRenderer> renderers)
    {
        ArgumentNullException.ThrowIfNull(renderers);
        if (renderers.Count == 0)
        {
            throw new ArgumentException("The emulator must serve at least one protocol.", nameof(renderers));
        }

        if (renderers.GroupBy(r => Normalize(BasePath + r.Route), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new ArgumentException($"Two protocols are served at '{shared.Key}'.", nameof(renderers));
        }

        _protocols = [.. renderers.Select(r => new ServedProtocol(r))];
    }

    /// <summary>Gets every protocol served, in registration order.</summary>
    public IReadOnlyList<ServedProtocol> All => _protocols;

    /// <summary>Gets the protocol whose error shape answers a path no protocol serves: the first registered.</summary>
    public ServedProtocol Default => _protocols[0];

    /// <summary>Gets the paths served, for an error message: <c>/v1/a and /v1/b</c>.</summary>
    public string Describe() => string.Join(" and ", _protocols.Select(p => BasePath + p.Renderer.Route));

    /// <summary>Finds the state of type <typeparamref name="TState"/> that a protocol keeps, or <see langword="null"/>.</summary>
    public TState? State<TState>()
        where TState : class, IProtocolState =>
        _protocols.Select(p => p.State).OfType<TState>().FirstOrDefault();

    /// <summary>Finds the protocol served at <paramref name="path"/>, or <see langword="null"/> when none is.</summary>
    /// <remarks>Liberal about how a base URL was joined with a relative path: <c>//</c> and a trailing <c>/</c> are fine,
    /// but the <c>/v1</c> is not optional.</remarks>
    public ServedProtocol? Find(string path)
    {
        var normalized = Normalize(path);
        return _protocols.FirstOrDefault(p => string.Equals(normalized, Normalize(BasePath + p.Renderer.Route), StringComparison.Ordinal));
    }

    /// <summary>
    /// Finds the protocol that serves <paramref name="path"/> as a resource, <c>/v1/{route}/{id}</c>, as liberally as
    /// <see cref="Find"/> matches routes; only a protocol with <see cref="ServedProtocol.Resources"/> serves any.
    /// </summary>
    /// <param name="path">The request path.</param>
    /// <param name="id">The resource id: the one non-empty segment after the route; empty when no protocol matched.</param>
    /// <returns>The protocol, or <see langword="null"/>.</returns>
    public ServedProtocol? FindResource(string path, out string id)
    {
        var normalized = Normalize(path);
        foreach (var protocol in _protocols)
        {
            if (protocol.Resources is not null && TryMatchResource(normalized, protocol.Renderer.Route, out id))
            {
                return protocol;
            }
        }

        id = string.Empty;
        return null;
    }

    private static bool TryMatchResource(string normalizedPath, string route, out string id)
    {
        var prefix = Normalize(BasePath + route) + "/";
        id = normalizedPath.Length > prefix.Length && normalizedPath.StartsWith(prefix, StringComparison.Ordinal) ? normalizedPath[prefix.Length..] : string.Empty;
        if (id.Contains('/', StringComparison.Ordinal))
        {
            id = string.Empty;
        }

        return id.Length > 0;
    }

    private static string Normalize(string path)
    {
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
