using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>Reads what a recorded exchange holds of its response body, for assertions.</summary>
internal static class CassetteExchangeBodies
{
    /// <summary>Gets the whole response body: its pieces joined, or nothing when no response arrived.</summary>
    public static byte[] ResponseBody(this CassetteExchange exchange) =>
        exchange.Response is { } response ? [.. response.Chunks.SelectMany(c => c.Data)] : [];
}
