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
/// Case 3's competitor is the official <c>Anthropic</c> package's <see cref="IChatClient"/>; case 4's is
/// <c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Responses.ResponsesClient</c>.
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

    // The OpenAI package marks its Responses client as evaluation-only (OPENAI001); it is the competitor measured.
#pragma warning disable OPENAI001
    /// <summary>Creates <c>Microsoft.Extensions.AI.OpenAI</c>'s Responses client, as its documentation shows:
    /// <c>new ResponsesClient(credential, options).AsIChatClient(model)</c>.</summary>
    /// <remarks>The client posts to <c>{Endpoint}/responses</c>, the same path as ours.</remarks>
    public static IChatClient OpenAIResponses(HttpMessageHandler handler, Uri endpoint) =>
        new OpenAI.Responses.ResponsesClient(
            new ApiKeyCredential(ApiKey),
            new OpenAI.Responses.ResponsesClientOptions
            {
                Transport = new HttpClientPipelineTransport(new HttpClient(handler, disposeHandler: false)),
                Endpoint = WithoutTrailingSlash(endpoint),
            }).AsIChatClient(Model);
#pragma warning restore OPENAI001

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
