using System.Text.Json;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>A stateless made-up protocol served at <c>/v1/{route}</c>: one event or object naming the route and the
/// response id, and an error body of its own shape, so a test can tell which protocol answered.</summary>
internal sealed class FakeProtocolRenderer(string route) : IProtocolRenderer
{
    public string Route => route;

    public string ResponseIdPrefix => route + "_emu_";

    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context) =>
        [new SseEvent("fake", Body("renderer", context))];

    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context) => Body("renderer", context);

    public byte[] RenderError(ReplyError error, IdCounter ids) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?> { ["fake_error_of"] = route, ["message"] = error.Message, ["type"] = error.Type, ["code"] = error.Code });

    /// <summary>The body every view of a response has: who rendered it, the route and the response id.</summary>
    public byte[] Body(string renderedBy, RenderContext context) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["by"] = renderedBy, ["route"] = route, ["id"] = context.ResponseId });
}
