using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>
/// The state of <see cref="FakeStatefulRenderer"/>: it keeps every response it renders by id and serves it at
/// <c>GET /v1/{route}/{id}</c>; a request naming <c>"refers_to"</c> an id it did not keep is rejected; a request saying
/// <c>"later": true</c> defers a stream error.
/// </summary>
internal sealed class FakeProtocolState(IProtocolRenderer renderer, FakeProtocolRenderer bodies) : IProtocolState, IResourceEndpoint
{
    private readonly ConcurrentDictionary<string, byte[]> _kept = new(StringComparer.Ordinal);

    /// <summary>Gets the ids of the responses kept so far.</summary>
    public ICollection<string> Kept => _kept.Keys;

    public ReplyError? CheckRequest(JsonElement request) =>
        request.TryGetProperty("refers_to", out var id) && !_kept.ContainsKey(id.GetString()!)
            ? new ReplyError($"Nothing kept as '{id.GetString()}'.", "invalid_request_error", "not_kept")
            : null;

    public bool DefersStreamError(JsonElement request) => request.TryGetProperty("later", out var later) && later.ValueKind == JsonValueKind.True;

    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context) => [new SseEvent("fake", Keep(context))];

    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context) => Keep(context);

    public Task ServeResourceAsync(HttpContext context, YuHuanEmulator emulator, string id, CancellationToken cancellationToken) =>
        _kept.TryGetValue(id, out var body)
            ? EmulatorResponses.WriteBodyAsync(context.Response, emulator, StatusCodes.Status200OK, "application/json", body, reply: null, cancellationToken)
            : EmulatorResponses.WriteEmulatorErrorAsync(context.Response, emulator, renderer, StatusCodes.Status404NotFound, new ReplyError($"No '{id}'.", "not_found_error", Code: null), cancellationToken);

    private byte[] Keep(RenderContext context)
    {
        var body = bodies.Body("state", context);
        _kept[context.ResponseId] = body;
        return body;
    }
}
