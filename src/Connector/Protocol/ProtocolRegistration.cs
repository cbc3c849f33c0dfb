namespace YuHuan.Connector.Protocol;

/// <summary>One protocol as the library registers it: the option value that selects it, and how a client's protocol is made.</summary>
internal sealed class ProtocolRegistration
{
    private readonly Lazy<IChatProtocol> _prototype;

    /// <summary>Initializes the registration of the protocol <paramref name="id"/> selects, made by <paramref name="create"/>.</summary>
    /// <param name="id">The <see cref="YuHuanChatClientOptions.Protocol"/> value that selects it.</param>
    /// <param name="create">Creates the protocol for a client's (validated) options.</param>
    public ProtocolRegistration(YuHuanProtocol id, Func<YuHuanChatClientOptions, IChatProtocol> create)
    {
        Id = id;
        Create = create;
        _prototype = new Lazy<IChatProtocol>(() => create(new YuHuanChatClientOptions { Protocol = id }));
    }

    /// <summary>Gets the <see cref="YuHuanChatClientOptions.Protocol"/> value that selects the protocol.</summary>
    public YuHuanProtocol Id { get; }

    /// <summary>Gets the function that creates the protocol for a client's (validated) options.</summary>
    public Func<YuHuanChatClientOptions, IChatProtocol> Create { get; }

    /// <summary>Gets the protocol as a client with default options has it, for what does not depend on options (its name, the tools it carries, its key headers).</summary>
    public IChatProtocol Prototype => _prototype.Value;

    /// <summary>Gets the protocol's name, as used in messages, such as <c>Chat Completions</c>.</summary>
    public string Name => Prototype.Name;
}
