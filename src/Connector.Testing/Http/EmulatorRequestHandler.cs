using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Answers one request of the emulator: records it, checks path, method, API key and body, then serves the
/// next scripted reply in the protocol of the path that was called.
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

    private static string NormalizePath(string path)
    {
        // Be liberal about how a base URL was joined with a relative path: "//" and a trailing "/" are fine.
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
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
        var recorded = new RecordedRequest(request.Method, path, CopyHeaders(request.Headers), body);
        _emulator.Record(recorded);

        var route = NormalizePath(path);
        if (route is not ("/v1/chat/completions" or "/chat/completions"))
        {
            var message = route is "/v1/messages" or "/messages" or "/v1/responses" or "/responses"
                ? $"The emulator does not serve '{path}' yet; only chat/completions."
                : $"Unknown path '{path}'.";
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, StatusCodes.Status404NotFound, message, "not_found_error", code: null, writeCodeAndParam: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, StatusCodes.Status405MethodNotAllowed, $"Method {request.Method} is not allowed; use POST.", "invalid_request_error", code: null, writeCodeAndParam: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_emulator.ExpectedApiKey is { } expectedApiKey && !IsAuthorized(request, expectedApiKey))
        {
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, StatusCodes.Status401Unauthorized, "Invalid API key.", "authentication_error", "invalid_api_key", writeCodeAndParam: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (recorded.Json.ValueKind != JsonValueKind.Object)
        {
            await EmulatorResponses.WriteEmulatorErrorAsync(response, _emulator, StatusCodes.Status400BadRequest, "The request body must be a JSON object.", "invalid_request_error", code: null, writeCodeAndParam: true, cancellationToken).ConfigureAwait(false);
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
                await EmulatorResponses.WriteHttpErrorAsync(response, _emulator, reply, cancellationToken).ConfigureAwait(false);
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
        var renderer = new ChatCompletionsRenderer(reply, reply.Id ?? _emulator.NextResponseId("chatcmpl-emu-"), model, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        if (!recorded.IsStreaming)
        {
            if (reply.StreamError is { } error)
            {
                var errorBody = EmulatorResponses.ErrorBody(error.Message, error.Type, error.Code, writeCodeAndParam: true);
                await EmulatorResponses.WriteBodyAsync(response, _emulator, StatusCodes.Status500InternalServerError, "application/json", errorBody, reply, cancellationToken).ConfigureAwait(false);
                return;
            }

            var paddings = reply.Parts.Where(p => p.Kind == ReplyPartKind.Padding).ToList();
            long? padding = paddings.Count == 0 ? null : paddings.Sum(p => p.PaddingBytes);
            await EmulatorResponses.WriteBodyAsync(response, _emulator, StatusCodes.Status200OK, "application/json", renderer.RenderCompletion(), reply, cancellationToken, padding).ConfigureAwait(false);
            return;
        }

        var sse = new SseResponseWriter(context, reply, _emulator, cancellationToken);
        await sse.StartAsync().ConfigureAwait(false);
        foreach (var sseEvent in renderer.RenderStream())
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
