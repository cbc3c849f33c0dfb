using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>The competitor on Chat Completions: <c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Chat.ChatClient</c>.</summary>
internal static class ChatCompletionsCompetitor
{
    /// <summary>The competitor's name in verification messages.</summary>
    public const string Name = "Microsoft.Extensions.AI.OpenAI";

    /// <summary>Creates the client as its documentation shows, over <paramref name="handler"/>.</summary>
    public static IChatClient Create(HttpMessageHandler handler, Uri endpoint) =>
        new OpenAI.Chat.ChatClient(
            Clients.Model,
            new ApiKeyCredential(Clients.ApiKey),
            new OpenAIClientOptions
            {
                Transport = new HttpClientPipelineTransport(new HttpClient(handler, disposeHandler: false)),
                Endpoint = Clients.WithoutTrailingSlash(endpoint),
            }).AsIChatClient();
}
