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

    public void ApplyHeaders(HttpRequestHeaders headers, string? apiKey)
    {
        if (apiKey is not null)
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public ReadOnlyMemory<byte> WriteRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, string? defaultModelId, bool stream, IChatClient client) =>
        ChatCompletionsRequestWriter.Write(messages, options, defaultModelId, stream, client);

    public IStreamMapper CreateStreamMapper() => new ChatCompletionsStreamMapper(_splitThinkTags);

    public IReadOnlyList<ChatResponseUpdate> ReadResponse(ReadOnlySpan<byte> json)
    {
        var mapper = new ChatCompletionsStreamMapper(_splitThinkTags);
        var updates = new List<ChatResponseUpdate>(2);
        if (mapper.OnEvent("message", json) is { } update)
        {
            updates.Add(update);
        }

        if (mapper.CompleteResponse() is { } last)
        {
            updates.Add(last);
        }

        if (updates.Count == 0)
        {
            throw Http.GatewayError.Malformed(Name, "the response holds no choices");
        }

        return updates;
    }
}
