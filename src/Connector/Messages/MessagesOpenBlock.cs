namespace YuHuan.Connector.Messages;

/// <summary>What the Messages mapper keeps of a streamed content block between its <c>content_block_start</c> and its <c>content_block_stop</c>.</summary>
/// <param name="kind">The block's kind.</param>
internal sealed class MessagesOpenBlock(MessagesBlockKind kind)
{
    /// <summary>Gets the block's kind.</summary>
    public MessagesBlockKind Kind { get; } = kind;

    /// <summary>Gets or sets the signature given at the block's start, still to be reported.</summary>
    public string? Signature { get; set; }

    /// <summary>Gets or sets the input given whole at the block's start.</summary>
    public byte[]? Input { get; set; }

    /// <summary>Gets or sets the builder of a block that is kept as it came.</summary>
    public MessagesBlockBuilder? Builder { get; set; }

    /// <summary>Gets or sets the block's fields the mapping does not use, still to go out on its first content; see <see cref="MessagesKeys.Fields"/>.</summary>
    public string? Fields { get; set; }
}
