using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Answers one request of the emulator: records it, picks the protocol by path, checks method, API key and body,
/// then serves the next scripted reply in that protocol. Errors are written in the error shape of the protocol that
/// was called; a path no protocol serves gets 404 in the Chat Completions shape.
/// </summary>
internal sealed class EmulatorRequestHandler
{
    private const string DefaultModel = "yuhuan-emulator";

    private readonly YuHuanEmulator _emulator;

    public EmulatorRequestHandler(YuHuanEmulator emulator)
    {
        _emulator = emulator;
    }

    /// <summary>Handles a request; never throws for a cancelled or aborted request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        // A scripted wait or write must end when either the client goes away or the emulator is disposed.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _emulator.StoppingToken);
        var cancellationToken = linked.Token;
        _emulator.RequestStarted();
        try
        {
            await HandleCoreAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away or the emulator is stopping: make sure the client cannot mistake a
            // half-written response for a complete one.
            context.Abort();
        }
        finally
        {
            _emulator.RequestEnded();
        }
    }

    private static bool IsAuthorized(HttpRequest request, string expectedApiKey)
    {
        const string Bearer = "Bearer ";
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && string.Equals(authorization[Bearer.Length..].Trim(), expectedApiKey, StringComparison.Ordinal))
        {
            return true;
        }

        return string.Equals(request.Headers["x-api-key"].ToString(), expectedApiKey, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = string.Join(", ", values.ToArray());
        }

        return copy;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private async Task HandleCoreAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.PathBase.Add(request.Path).Value ?? "/";
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var connectionClosed = _emulator.FindConnection(context.Connection.Id)?.Closed ?? Task.CompletedTask;
        var recorded = new RecordedRequest(request.Method, path, CopyHeaders(request.Headers), body, connectionClosed);
        _emulator.Record(recorded);

        if (ProtocolRoutes.Find(path) is not { } protocol)
        {
            var served = string.Join(" and ", ProtocolRoutes.All.Select(p => ProtocolRoutes.BasePath + p.Route));
            var notFound = new ReplyError($"Unknown path '{path}'; the emulator serves {served}.", "not_found_error", Code: null);
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, ProtocolRoutes.Fallback, StatusCodes.Status404NotFound, notFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            var notAllowed = new ReplyError($"Method {request.Method} is not allowed; use POST.", "invalid_request_error", Code: null);
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, protocol, StatusCodes.Status405MethodNotAllowed, notAllowed, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_emulator.ExpectedApiKey is { } expectedApiKey && !IsAuthorized(request, expectedApiKey))
        {
            var unauthorized = new ReplyError("Invalid API key.", "authentication_error", "invalid_api_key");
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, protocol, StatusCodes.Status401Unauthorized, unauthorized, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (recorded.Json.ValueKind != JsonValueKind.Object)
        {
            var badBody = new ReplyError("The request body must be a JSON object.", "invalid_request_error", Code: null);
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, protocol, StatusCodes.Status400BadRequest, badBody, cancellationToken).ConfigureAwait(false);
            return;
        }

        var reply = _emulator.TakeReply();
        if (reply.DelayBeforeHeaders > TimeSpan.Zero)
        {
            await Task.Delay(reply.DelayBeforeHeaders, cancellationToken).ConfigureAwait(false);
        }

        switch (reply.Kind)
        {
            case ReplyKind.HttpError:
                await EmulatorResponses.WriteHttpErrorAsync(response, _emulator, protocol, reply, cancellationToken).ConfigureAwait(false);
                return;

            case ReplyKind.Raw:
                await EmulatorResponses.WriteRawAsync(response, _emulator, reply, cancellationToken).ConfigureAwait(false);
                return;

            case ReplyKind.Reset:
                context.Abort();
                return;
        }

        var model = reply.Model
            ?? (recorded.Json.TryGetProperty("model", out var requested) && requested.ValueKind == JsonValueKind.String && requested.GetString() is { Length: > 0 } name
                ? name
                : DefaultModel);
        var renderContext = RenderContext.For(protocol, reply, model, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _emulator.Ids);

        if (!recorded.IsStreaming)
        {
            if (reply.StreamError is { } error)
            {
                var errorBody = protocol.RenderError(error, _emulator.Ids);
                await EmulatorResponses.WriteBodyAsync(response, _emulator, StatusCodes.Status500InternalServerError, "application/json", errorBody, reply, cancellationToken).ConfigureAwait(false);
                return;
            }

            var paddings = reply.Parts.Where(p => p.Kind == ReplyPartKind.Padding).ToList();
            long? padding = paddings.Count == 0 ? null : paddings.Sum(p => p.PaddingBytes);
            await EmulatorResponses.WriteBodyAsync(response, _emulator, StatusCodes.Status200OK, "application/json", protocol.RenderCompletion(reply, renderContext), reply, cancellationToken, padding).ConfigureAwait(false);
            return;
        }

        var sse = new SseResponseWriter(context, reply, _emulator, _emulator.FindConnection(context.Connection.Id), cancellationToken);
        await sse.StartAsync().ConfigureAwait(false);
        foreach (var sseEvent in protocol.RenderStream(reply, renderContext))
        {
            if (sse.IsFinished)
            {
                return;
            }

            await sse.WriteAsync(sseEvent).ConfigureAwait(false);
        }

        await sse.CompleteAsync().ConfigureAwait(false);
    }
}
