namespace YuHuan.Connector.Tests;

/// <summary>
/// The one registry of the protocols under test, compiled into every test project (linked, not copied): each
/// protocol's kit, from its own folder. Every cross-protocol suite and theory runs once per kit listed here. Add a
/// protocol's kit here when it lands; Connector.Tests then fails until this list equals what the client accepts.
/// </summary>
public static partial class TestProtocols
{
    /// <summary>Gets the kit of every protocol under test, in the enum's declaration order.</summary>
    public static IReadOnlyList<WireFormat> Kits { get; } =
    [
        ChatCompletionsWireFormat.Instance,
        MessagesWireFormat.Instance,
        ResponsesWireFormat.Instance,
    ];
}
