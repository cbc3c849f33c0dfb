using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector.SemanticKernel;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Hands a Semantic Kernel conversation to code that takes Microsoft.Extensions.AI messages (a <c>ChatClientAgent</c>,
/// an <see cref="IChatClient"/>) without losing what the next request needs.
/// </summary>
public static class YuHuanChatMessageContentExtensions
{
    /// <summary>
    /// Converts a message of a <see cref="ChatHistory"/> the way the YuHuan connector sends it: reasoning stays (with
    /// the signature or encrypted content and item id the YuHuan services keep in <see cref="KernelContent.Metadata"/>),
    /// a plugin function's call keeps the name the model called it by (<c>Weather_GetForecast</c>), and contents Semantic
    /// Kernel has no type for come back where they stood.
    /// </summary>
    /// <remarks>
    /// Semantic Kernel's own <c>ToChatMessage()</c> drops reasoning and names a call by its function alone
    /// (<c>GetForecast</c>), so a model that checks its earlier turn (Anthropic's thinking signatures, OpenAI's
    /// reasoning items) rejects or misreads the conversation.
    /// </remarks>
    /// <param name="content">The message, typically from a <see cref="ChatHistory"/> a YuHuan service filled (restored from JSON or not).</param>
    /// <returns>The message as the YuHuan connector sends it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Metadata the YuHuan connector keeps on the message or its items holds something it did not store.</exception>
    public static ChatMessage ToYuHuanChatMessage(this ChatMessageContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return KernelContentConverter.ToChatMessage(content);
    }
}
