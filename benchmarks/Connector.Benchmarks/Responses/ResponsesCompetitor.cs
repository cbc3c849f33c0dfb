using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Infrastructure;

namespace YuHuan.Connector.Benchmarks.Responses;

/// <summary>The competitor on Responses: <c>Microsoft.Extensions.AI.OpenAI</c> over <c>OpenAI.Responses.ResponsesClient</c>.</summary>
/// <remarks>The OpenAI package marks its Responses client as evaluation-only (<c>OPENAI001</c>); it is the competitor
/// measured. It posts to <c>{Endpoint}/responses</c>, the same path as ours.</remarks>
internal static class ResponsesCompetitor
{
    /// <summary>The competitor's name in verification messages.</summary>
    public const string Name = "Microsoft.Extensions.AI.OpenAI (Responses)";

#pragma warning disable OPENAI001
    /// <summary>Creates the client as its documentation shows: <c>new ResponsesClient(credential, options).AsIChatClient(model)</c>.</summary>
    public static IChatClient Create(HttpMessageHandler handler, Uri endpoint) =>
        new OpenAI.Responses.ResponsesClient(
            new ApiKeyCredential(Clients.ApiKey),
            new OpenAI.Responses.ResponsesClientOptions
            {
                Transport = new HttpClientPipelineTransport(new HttpClient(handler, disposeHandler: false)),
                Endpoint = Clients.WithoutTrailingSlash(endpoint),
            }).AsIChatClient(Clients.Model);
#pragma warning restore OPENAI001
}
