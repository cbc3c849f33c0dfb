using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// Builds every client under test over a given <see cref="HttpMessageHandler"/>, each with its library's default
/// settings, so all of them read the same bytes through the same transport.
/// </summary>
/// <remarks>
/// Case 3's competitor is the official <c>Anthropic</c> package's <see cref="IChatClient"/>; case 4 adds
/// <c>OpenAI.Responses.OpenAIResponseClient.AsIChatClient()</c> for Responses.
/// </remarks>
internal static class Clients
{
    /// <summary>The model every request names.</summary>
    public const string Model = "gpt-4o-mini";

    /// <summary>The API key every client sends.</summary>
    public const string ApiKey = "bench-key";

    /// <summary>The base address used with in-memory handlers; nothing is ever sent to it.</summary>
    public static readonly Uri InMemoryEndpoint = new("https://gateway.bench.invalid/v1/");

    /// <summary>Creates our client for the given protocol.</summary>
    public static IChatClient YuHuan(HttpMessageHandler handler, Uri endpoint, YuHuanProtocol protocol) =>
        new YuHuanChatClient(
            new YuHuanChatClientOptions { Endpoint = endpoint, ApiKey = ApiKey, ModelId = Model, Protocol = protocol },
            new HttpClient(handler, disposeHandler: false));

    /// <summary>Creates <c>Microsoft.Extensions.AI.OpenAI</c>'s Chat Completions client, as its documentation shows.</summary>
    public static IChatClient OpenAIChatCompletions(HttpMessageHandler handler, Uri endpoint) =>
        new OpenAI.Chat.ChatClient(
            Model,
            new ApiKeyCredential(ApiKey),
            new OpenAIClientOptions
            {
                Transport = new HttpClientPipelineTransport(new HttpClient(handler, disposeHandler: false)),
                Endpoint = WithoutTrailingSlash(endpoint),
            }).AsIChatClient();

    /// <summary>Creates the official <c>Anthropic</c> package's client, as its documentation shows:
    /// <c>new AnthropicClient { ... }.AsIChatClient(model)</c>.</summary>
    /// <remarks>The SDK posts to <c>{BaseUrl}/v1/messages</c>, so the base address is the endpoint without its
    /// <c>v1/</c>: both clients reach the same path.</remarks>
    public static IChatClient AnthropicMessages(HttpMessageHandler handler, Uri endpoint) =>
        new AnthropicClient
        {
            ApiKey = ApiKey,
            BaseUrl = new Uri(endpoint, "..").AbsoluteUri.TrimEnd('/'),
            HttpClient = new HttpClient(handler, disposeHandler: false),
        }.AsIChatClient(Model);

    private static Uri WithoutTrailingSlash(Uri endpoint) =>
        new(endpoint.AbsoluteUri.TrimEnd('/'));
}
