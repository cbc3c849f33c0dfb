using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.SemanticKernel;

/// <summary>
/// Keeps a conversation on the client's side under Semantic Kernel: removes <see cref="ChatResponse.ConversationId"/>
/// from what the gateway answers (a stored Responses response names itself there), so kernel function invocation, which
/// works on the history it holds, sends the whole history each round instead of chaining on a server-side conversation.
/// </summary>
/// <remarks>
/// Semantic Kernel's history (<c>ChatHistory</c>, an agent's thread) is the conversation's state; a conversation id
/// would make function invocation drop the history it reads the calls from.
/// </remarks>
internal sealed class ClientSideHistoryChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        response.ConversationId = null;
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            update.ConversationId = null;
            yield return update;
        }
    }
}
