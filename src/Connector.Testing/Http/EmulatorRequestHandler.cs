using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Answers one request of the emulator: records it, picks the protocol by path, checks method, API key and body,
/// then serves the next scripted reply in that protocol. Errors are written in the error shape of the protocol that
/// was called; a path no protocol serves gets 404 in the shape of the default (first registered) protocol. A protocol
/// may keep state between requests (<see cref="IProtocolState"/>), check a request against it before a reply is taken,
/// and serve what it kept at <c>GET /v1/{route}/{id}</c> (<see cref="IResourceEndpoint"/>), which takes no reply. The
/// handler knows protocols only through <see cref="ServedProtocol"/>.
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

    /// <summary>Answers <c>GET /v1/{route}/{id}</c> through the protocol's <see cref="IResourceEndpoint"/>, after the method
    /// and the API key are checked.</summary>
    private async Task RetrieveResourceAsync(HttpContext context, ServedProtocol protocol, IResourceEndpoint resources, string id, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET";
            var notAllowed = new ReplyError($"Method {context.Request.Method} is not allowed; use GET.", "invalid_request_error", Code: null);
            await EmulatorResponses.WriteEmulatorErrorAsync(context.Response, _emulator, protocol.Renderer, StatusCodes.Status405MethodNotAllowed, notAllowed, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await AuthorizeAsync(context, protocol.Renderer, cancellationToken).ConfigureAwait(false))
        {
            await resources.ServeResourceAsync(context, _emulator, id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the API key; answers 401 in the protocol's error shape and returns <see langword="false"/> when it is wrong.</summary>
    private async Task<bool> AuthorizeAsync(HttpContext context, IProtocolRenderer protocol, CancellationToken cancellationToken)
    {
        if (_emulator.ExpectedApiKey is not { } expectedApiKey || IsAuthorized(context.Request, expectedApiKey))
        {
            return true;
        }

        var unauthorized = new ReplyError("Invalid API key.", "authentication_error", "invalid_api_key");
        await EmulatorResponses.WriteEmulatorErrorAsync(context.Response, _emulator, protocol, StatusCodes.Status401Unauthorized, unauthorized, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>Answers from the cassette: the matching recorded exchange, or 404 naming the nearest one.</summary>
    private async Task ReplayAsync(HttpContext context, CassettePlayer player, IProtocolRenderer errorShape, RecordedRequest request, CancellationToken cancellationToken)
    {
        var live = new CassetteRequest(request.Method, request.Path, request.Query, request.Body);
        if (player.Take(live, out var miss) is { } exchange)
        {
            await player.ServeAsync(context, _emulator, exchange, cancellationToken).ConfigureAwait(false);
            return;
        }

        var mismatch = new ReplyError(miss, "cassette_mismatch", "no_recorded_exchange");
        await EmulatorResponses.WriteEmulatorErrorAsync(context.Response, _emulator, errorShape, StatusCodes.Status404NotFound, mismatch, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleCoreAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.PathBase.Add(request.Path).Value ?? "/";
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var connectionClosed = _emulator.FindConnection(context.Connection.Id)?.Closed ?? Task.CompletedTask;
        var recorded = new RecordedRequest(request.Method, path, request.QueryString.Value ?? string.Empty, CopyHeaders(request.Headers), body, connectionClosed);
        _emulator.Record(recorded);

        var routes = _emulator.Protocols;
        if (_emulator.Player is { } player)
        {
            var shape = routes.FindResource(path, out _) ?? routes.Find(path) ?? routes.Default;
            if (await AuthorizeAsync(context, shape.Renderer, cancellationToken).ConfigureAwait(false))
            {
                await ReplayAsync(context, player, shape.Renderer, recorded, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (routes.FindResource(path, out var resourceId) is { Resources: { } resources } owner)
        {
            await RetrieveResourceAsync(context, owner, resources, resourceId, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (routes.Find(path) is not { } served)
        {
            var notFound = new ReplyError($"Unknown path '{path}'; the emulator serves {routes.Describe()}.", "not_found_error", Code: null);
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, routes.Default.Renderer, StatusCodes.Status404NotFound, notFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        var protocol = served.Renderer;

        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            var notAllowed = new ReplyError($"Method {request.Method} is not allowed; use POST.", "invalid_request_error", Code: null);
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, protocol, StatusCodes.Status405MethodNotAllowed, notAllowed, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!await AuthorizeAsync(context, protocol, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (recorded.Json.ValueKind != JsonValueKind.Object)
        {
            var badBody = new ReplyError("The request body must be a JSON object.", "invalid_request_error", Code: null);
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, protocol, StatusCodes.Status400BadRequest, badBody, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A protocol that keeps state checks the request against it (such as an earlier response it names) before a reply is taken.
        if (served.CheckRequest(recorded.Json) is { } rejected)
        {
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, protocol, StatusCodes.Status400BadRequest, rejected, cancellationToken).ConfigureAwait(false);
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
        var renderContext = RenderContext.For(protocol, reply, model, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _emulator.Ids) with { Request = recorded.Json };

        if (!recorded.IsStreaming)
        {
            // A request the protocol answers before its reply has run its course shows the failure in what is read later.
            if (reply.StreamError is { } error && !served.DefersStreamError(recorded.Json))
            {
                var errorBody = protocol.RenderError(error, _emulator.Ids);
                await EmulatorResponses.WriteBodyAsync(response, _emulator, StatusCodes.Status500InternalServerError, "application/json", errorBody, reply, cancellationToken).ConfigureAwait(false);
                return;
            }

            var paddings = reply.Parts.Where(p => p.Kind == ReplyPartKind.Padding).ToList();
            long? padding = paddings.Count == 0 ? null : paddings.Sum(p => p.PaddingBytes);
            var completion = served.RenderCompletion(reply, renderContext);
            await EmulatorResponses.WriteBodyAsync(response, _emulator, StatusCodes.Status200OK, "application/json", completion, reply, cancellationToken, padding).ConfigureAwait(false);
            return;
        }

        var sse = new SseResponseWriter(context, reply, _emulator, _emulator.FindConnection(context.Connection.Id), cancellationToken);
        await sse.StartAsync().ConfigureAwait(false);
        var events = served.RenderStream(reply, renderContext);
        foreach (var sseEvent in events)
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
