using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Messages;

/// <summary>
/// One content block of a Messages request, as the history is sorted into turns: the content at <paramref name="End"/>
/// of <paramref name="Contents"/> decides the block's kind. A <c>thinking</c> block spans the reasoning pieces from
/// <paramref name="Start"/> to <paramref name="End"/>, the last of which carries the signature; every other block is one
/// content, with <paramref name="Start"/> equal to <paramref name="End"/>.
/// </summary>
/// <param name="Contents">The contents of the message the block comes from.</param>
/// <param name="Start">The index of the block's first content.</param>
/// <param name="End">The index of the block's last content.</param>
/// <param name="Assistant">A value indicating whether the block goes in an <c>assistant</c> turn rather than a <c>user</c> one.</param>
internal readonly record struct MessagesBlock(IList<AIContent> Contents, int Start, int End, bool Assistant)
{
    /// <summary>Gets the content that decides the block's kind.</summary>
    public AIContent Content => Contents[End];
}
