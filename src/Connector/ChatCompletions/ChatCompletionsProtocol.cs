using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>The Chat Completions protocol, <c>POST chat/completions</c>.</summary>
internal sealed class ChatCompletionsProtocol : IChatProtocol
{
    private readonly bool _splitThinkTags;

    public ChatCompletionsProtocol(bool splitThinkTags) => _splitThinkTags = splitThinkTags;

    public string RelativePath => "chat/completions";

    public string Name => "Chat Completions";

    public void ApplyHeaders(HttpRequestHeaders headers, string? apiKey, bool keyOnlyInAuthorization)
    {
        if (apiKey is not null)
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public ReadOnlyMemory<byte> WriteRequest(ChatRequest request) => ChatCompletionsRequestWriter.Write(request);

    public string ContinuationPath(ResponseContinuationToken token, bool stream) => throw NoBackgroundResponses.For(Name);

    public IStreamMapper CreateStreamMapper(ChatRequest request) => new ChatCompletionsStreamMapper(_splitThinkTags);
}
