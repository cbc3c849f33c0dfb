using Anthropic;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Messages;

/// <summary>The competitor on Messages: the official <c>Anthropic</c> package's <see cref="IChatClient"/>.</summary>
/// <remarks>The SDK posts to <c>{BaseUrl}/v1/messages</c>, so the base address is the endpoint without its <c>v1/</c>:
/// both clients reach the same path.</remarks>
internal static class MessagesCompetitor
{
    /// <summary>The competitor's name in verification messages.</summary>
    public const string Name = "Anthropic";

    /// <summary>Creates the client as its documentation shows: <c>new AnthropicClient { ... }.AsIChatClient(model)</c>.</summary>
    public static IChatClient Create(HttpMessageHandler handler, Uri endpoint) =>
        new AnthropicClient
        {
            ApiKey = Clients.ApiKey,
            BaseUrl = new Uri(endpoint, "..").AbsoluteUri.TrimEnd('/'),
            HttpClient = new HttpClient(handler, disposeHandler: false),
        }.AsIChatClient(Clients.Model);
}
