using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>
/// One protocol as one emulator serves it: its renderer, and the state the emulator keeps for it when the renderer is
/// an <see cref="IStatefulRenderer"/>. The request handler renders every reply through it, so it never needs to know
/// which protocol it serves.
/// </summary>
internal sealed class ServedProtocol
{
    /// <summary>Creates the protocol of one emulator, with fresh state when the renderer keeps any.</summary>
    public ServedProtocol(IProtocolRenderer renderer)
    {
        Renderer = renderer;
        State = (renderer as IStatefulRenderer)?.CreateState();
    }

    /// <summary>Gets the renderer: the route, the id prefix and the error shape.</summary>
    public IProtocolRenderer Renderer { get; }

    /// <summary>Gets what the emulator keeps for the protocol, or <see langword="null"/> for a stateless one.</summary>
    public IProtocolState? State { get; }

    /// <summary>Gets what serves <c>GET /v1/{route}/{id}</c>, or <see langword="null"/> when the protocol serves nothing there.</summary>
    public IResourceEndpoint? Resources => State as IResourceEndpoint;

    /// <inheritdoc cref="IProtocolState.CheckRequest"/>
    public ReplyError? CheckRequest(JsonElement request) => State?.CheckRequest(request);

    /// <inheritdoc cref="IProtocolState.DefersStreamError"/>
    public bool DefersStreamError(JsonElement request) => State?.DefersStreamError(request) == true;

    /// <summary>Renders a streamed response: through the state, which keeps what it needs, or the renderer alone.</summary>
    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context) =>
        State is { } state ? state.RenderStream(reply, context) : Renderer.RenderStream(reply, context);

    /// <summary>Renders a non-streamed response: through the state, which keeps what it needs, or the renderer alone.</summary>
    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context) =>
        State is { } state ? state.RenderCompletion(reply, context) : Renderer.RenderCompletion(reply, context);
}
