namespace YuHuan.Connector.Testing;

/// <summary>
/// The one registration of the wire protocols the emulator serves: each protocol's renderer, listed once. Everything
/// else is derived from it: the paths served (<c>/v1/{route}</c>), the state kept per emulator
/// (<see cref="IStatefulRenderer"/>), resources served by id (<see cref="IResourceEndpoint"/>), and the error shape of a
/// path no protocol serves (the first protocol listed).
/// </summary>
/// <remarks>A new protocol is its own folder (a renderer implementing <see cref="IProtocolRenderer"/>, and any optional
/// capability it needs) plus one line here.</remarks>
internal static class EmulatorProtocols
{
    /// <summary>Gets every protocol's renderer, in registration order; the first is the default protocol.</summary>
    public static IReadOnlyList<IProtocolRenderer> All { get; } =
    [
        ChatCompletionsRenderer.Instance,
        MessagesRenderer.Instance,
        ResponsesRenderer.Instance,
    ];
}
