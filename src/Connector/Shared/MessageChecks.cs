using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>Checks of the history that every protocol's writer makes before writing a message.</summary>
internal static class MessageChecks
{
    /// <summary>Throws when a message or one of its contents is <see langword="null"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="index">Its position in the history, from 0.</param>
    /// <exception cref="ArgumentException"><paramref name="message"/> or an entry of its contents is <see langword="null"/>.</exception>
    public static void ThrowIfIncomplete(ChatMessage? message, int index)
    {
        if (message is null)
        {
            throw new ArgumentException($"Message {index} of the history is null.", "messages");
        }

        var contents = message.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is null)
            {
                throw new ArgumentException($"Message {index} ({message.Role}) holds null at Contents[{i}].", "messages");
            }
        }
    }

    /// <summary>Creates the error for a content the protocol cannot carry, naming the message, the content's type and its media type.</summary>
    /// <param name="index">The message's position in the history, from 0.</param>
    /// <param name="message">The message.</param>
    /// <param name="content">The content.</param>
    /// <param name="protocol">The protocol's name, as in "the Messages protocol".</param>
    /// <param name="where">Where in the request the content would go, when that is why it cannot (for example " in the system prompt"), else empty.</param>
    public static ArgumentException Unsupported(int index, ChatMessage message, AIContent content, string protocol, string where = "")
    {
        var mediaType = content switch
        {
            DataContent data => $" of type '{data.MediaType}'",
            UriContent uri => $" of type '{uri.MediaType}'",
            HostedFileContent { MediaType: { } hosted } => $" of type '{hosted}'",
            _ => string.Empty,
        };
        return new ArgumentException(
            $"Message {index} ({message.Role}) holds a {content.GetType().Name}{mediaType}, which the {protocol} protocol cannot carry{where}.",
            "messages");
    }
}
