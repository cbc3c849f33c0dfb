using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;

namespace YuHuan.Connector.Messages;

/// <summary>The Anthropic Messages protocol, <c>POST messages</c>.</summary>
internal sealed class MessagesProtocol : IChatProtocol
{
    /// <summary>The API version every request names.</summary>
    internal const string ApiVersion = "2023-06-01";

    /// <summary>The header that turns on beta features; the request writer names the features a hosted tool needs in <see cref="ChatRequest.Headers"/>.</summary>
    internal const string BetaHeader = "anthropic-beta";

    public string RelativePath => "messages";

    public string Name => "Messages";

    public void ApplyHeaders(HttpRequestHeaders headers, string? apiKey, bool keyOnlyInAuthorization)
    {
        headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        if (apiKey is not null)
        {
            // Anthropic's own header, and the bearer form that gateways in front of it accept as well. An HttpClient that may
            // follow a redirect would carry x-api-key to wherever it leads: then only the bearer form goes.
            if (!keyOnlyInAuthorization)
            {
                headers.TryAddWithoutValidation("x-api-key", apiKey);
            }

            headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public ReadOnlyMemory<byte> WriteRequest(ChatRequest request) => MessagesRequestWriter.Write(request);

    public string ContinuationPath(ResponseContinuationToken token, bool stream) => throw NoBackgroundResponses.For(Name);

    public IStreamMapper CreateStreamMapper(ChatRequest request) => new MessagesStreamMapper();
}
