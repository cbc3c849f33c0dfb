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
}
