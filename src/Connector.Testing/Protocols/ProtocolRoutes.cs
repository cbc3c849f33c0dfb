namespace YuHuan.Connector.Testing;

/// <summary>The paths the emulated gateway serves, and the protocol behind each.</summary>
internal static class ProtocolRoutes
{
    /// <summary>The base path every protocol is served under, as on the real gateway.</summary>
    public const string BasePath = "/v1/";

    private static readonly IProtocolRenderer[] Renderers = [ChatCompletionsRenderer.Instance, MessagesRenderer.Instance, ResponsesRenderer.Instance];

    /// <summary>Gets the protocol whose error shape answers a path that no protocol serves.</summary>
    public static IProtocolRenderer Fallback => ChatCompletionsRenderer.Instance;

    /// <summary>Gets every protocol the emulator serves.</summary>
    public static IReadOnlyList<IProtocolRenderer> All => Renderers;

    /// <summary>Finds the protocol served at <paramref name="path"/>, or <see langword="null"/> when none is.</summary>
    /// <remarks>Liberal about how a base URL was joined with a relative path: <c>//</c> and a trailing <c>/</c> are fine,
    /// but the <c>/v1</c> is not optional.</remarks>
    public static IProtocolRenderer? Find(string path)
    {
        var route = Normalize(path);
        foreach (var renderer in Renderers)
        {
            if (route.Length == BasePath.Length + renderer.Route.Length
                && route.StartsWith(BasePath, StringComparison.Ordinal)
                && route.EndsWith(renderer.Route, StringComparison.Ordinal))
            {
                return renderer;
            }
        }

        return null;
    }

    /// <summary>
    /// Matches <paramref name="path"/> against <c>/v1/{route}/{id}</c>, a resource under a protocol's route (such as
    /// <c>/v1/responses/resp_1</c>), as liberally as <see cref="Find"/> matches routes.
    /// </summary>
    /// <param name="path">The request path.</param>
    /// <param name="route">The protocol's route, such as <c>responses</c>.</param>
    /// <param name="id">The resource id: the one non-empty segment after the route.</param>
    /// <returns><see langword="true"/> when the path names a resource under the route.</returns>
    public static bool TryMatchResource(string path, string route, out string id)
    {
        var prefix = BasePath + route + "/";
        var normalized = Normalize(path);
        id = normalized.Length > prefix.Length && normalized.StartsWith(prefix, StringComparison.Ordinal) ? normalized[prefix.Length..] : string.Empty;
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
