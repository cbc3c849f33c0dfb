using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// What every client under test shares: the model, the key and the in-memory base address, and our client over a
/// given <see cref="HttpMessageHandler"/>. Each protocol folder builds its competitor (its <c>*Competitor</c> class)
/// over the same handler, with its library's default settings, so all of them read the same bytes through the same
/// transport.
/// </summary>
internal static class Clients
{
    /// <summary>The model every request names.</summary>
    public const string Model = "gpt-4o-mini";

    /// <summary>The API key every client sends.</summary>
    public const string ApiKey = "bench-key";

    /// <summary>The base address used with in-memory handlers; nothing is ever sent to it.</summary>
    public static readonly Uri InMemoryEndpoint = new("https://gateway.bench.invalid/v1/");

    /// <summary>Creates our client for the given protocol (with <see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/> as given, off by default).</summary>
    public static IChatClient YuHuan(HttpMessageHandler handler, Uri endpoint, YuHuanProtocol protocol, bool includeRawRepresentation = false) =>
        new YuHuanChatClient(
            new YuHuanChatClientOptions
            {
                Endpoint = endpoint,
                ApiKey = ApiKey,
                ModelId = Model,
                Protocol = protocol,
                IncludeRawRepresentation = includeRawRepresentation,
            },
            new HttpClient(handler, disposeHandler: false));

    /// <summary>Returns <paramref name="endpoint"/> without its trailing slash, as the OpenAI package wants its endpoint.</summary>
    public static Uri WithoutTrailingSlash(Uri endpoint) =>
        new(endpoint.AbsoluteUri.TrimEnd('/'));
}
