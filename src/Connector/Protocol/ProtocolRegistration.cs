namespace YuHuan.Connector.Protocol;

/// <summary>One protocol as the library registers it: the option value that selects it, and how a client's protocol is made.</summary>
/// <param name="Id">The <see cref="YuHuanChatClientOptions.Protocol"/> value that selects it.</param>
/// <param name="Create">Creates the protocol for a client's (validated) options.</param>
internal sealed record ProtocolRegistration(YuHuanProtocol Id, Func<YuHuanChatClientOptions, IChatProtocol> Create)
{
    private IChatProtocol? _prototype;

    /// <summary>Gets the protocol as a client with default options has it, for what does not depend on options (its name, the tools it carries).</summary>
    public IChatProtocol Prototype => _prototype ??= Create(new YuHuanChatClientOptions { Protocol = Id });

    /// <summary>Gets the protocol's name, as used in messages, such as <c>Chat Completions</c>.</summary>
    public string Name => Prototype.Name;
}
