using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;

namespace YuHuan.Connector.Responses;

/// <summary>The OpenAI Responses protocol, <c>POST responses</c>, with background responses resumed by <c>GET responses/{id}</c>.</summary>
internal sealed class ResponsesProtocol : IChatProtocol
{
    public string RelativePath => "responses";

    public string Name => "Responses";

    public void ApplyHeaders(HttpRequestHeaders headers, string? apiKey, bool keyOnlyInAuthorization)
    {
        if (apiKey is not null)
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public ReadOnlyMemory<byte> WriteRequest(ChatRequest request) => ResponsesRequestWriter.Write(request);

    public string ContinuationPath(ResponseContinuationToken token, bool stream)
    {
        var continuation = ResponsesContinuationToken.From(token);
        var path = "responses/" + Uri.EscapeDataString(continuation.ResponseId);
        if (!stream)
        {
            return path;
        }

        return continuation.SequenceNumber is { } after
            ? path + "?stream=true&starting_after=" + after.ToString(CultureInfo.InvariantCulture)
            : path + "?stream=true";
    }

    public IStreamMapper CreateStreamMapper(ChatRequest request) => new ResponsesStreamMapper(
        stored: ResponsesRequestWriter.IsStored(request),
        background: request.Options?.AllowBackgroundResponses == true || request.Options?.ContinuationToken is not null,
        resumed: request.Options?.ContinuationToken is { } token ? ResponsesContinuationToken.From(token) : null,
        conversation: request.Options?.ConversationId is { } id && id.StartsWith(ResponsesRequestWriter.ConversationPrefix, StringComparison.Ordinal) ? id : null);
}
