using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The Chat Completions wire format, rendered by the emulator's own renderer.</summary>
public sealed class ChatCompletionsWireFormat : WireFormat
{
    /// <summary>The one instance.</summary>
    public static readonly ChatCompletionsWireFormat Instance = new();

    /// <inheritdoc />
    public override YuHuanProtocol Protocol => YuHuanProtocol.ChatCompletions;

    /// <inheritdoc />
    internal override IProtocolRenderer Renderer => ChatCompletionsRenderer.Instance;
}
