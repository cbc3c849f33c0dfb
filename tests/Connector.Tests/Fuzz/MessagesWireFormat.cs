using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The Anthropic Messages wire format, rendered by the emulator's own renderer.</summary>
public sealed class MessagesWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly MessagesWireFormat Instance = new();

    /// <inheritdoc />
    public override YuHuanProtocol Protocol => YuHuanProtocol.Messages;

    /// <inheritdoc />
    internal override IProtocolRenderer Renderer => MessagesRenderer.Instance;
}
