using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>A made-up protocol at <c>/v1/{route}</c> that keeps state per emulator (<see cref="FakeProtocolState"/>).</summary>
internal sealed class FakeStatefulRenderer(string route) : IStatefulRenderer
{
    private readonly FakeProtocolRenderer _plain = new(route);

    public string Route => _plain.Route;

    public string ResponseIdPrefix => _plain.ResponseIdPrefix;

    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context) => _plain.RenderStream(reply, context);

    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context) => _plain.RenderCompletion(reply, context);

    public byte[] RenderError(ReplyError error, IdCounter ids) => _plain.RenderError(error, ids);

    public IProtocolState CreateState() => new FakeProtocolState(this, _plain);
}
