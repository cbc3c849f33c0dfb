using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// What the Responses protocol keeps between requests, as the real server does: responses served to a request whose
/// <c>store</c> is not <see langword="false"/>, and every background response, with its whole event stream. It checks
/// <c>previous_response_id</c>, and answers <c>GET /v1/responses/{id}</c>: polling (the response object) and resuming
/// (<c>?stream=true&amp;starting_after=N</c>: the kept events after sequence number N). Each emulator has one, made by
/// <see cref="ResponsesRenderer.CreateState"/>. Thread-safe.
/// </summary>
internal sealed class ResponsesEndpoint : IProtocolState, IResourceEndpoint
{
    private readonly ResponsesStore _store = new();

    /// <summary>Returns the error a request gets when its <c>previous_response_id</c> names no stored response.</summary>
    public static ReplyError PreviousResponseNotFound(string id) =>
        new($"Previous response with id '{id}' not found.", "invalid_request_error", "previous_response_not_found", "previous_response_id");

    /// <inheritdoc />
    /// <remarks>A request for a background response is answered at once with the <c>queued</c> object; a stream error
    /// shows as the <c>failed</c> response when it is polled.</remarks>
    public bool DefersStreamError(JsonElement request) => ResponsesRequestFields.Read(request).Background;

    /// <inheritdoc />
    /// <remarks>A <c>previous_response_id</c>, when the request names one, must name a stored response.</remarks>
    public ReplyError? CheckRequest(JsonElement request) =>
        ResponsesRequestFields.Read(request).PreviousResponseId is { } id && _store.Find(id) is not { Rendering.Request.Store: true }
            ? PreviousResponseNotFound(id)
            : null;

    /// <inheritdoc />
    /// <remarks>Keeps the response, with every event, when it is stored or in the background.</remarks>
    public IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context) => Keep(reply, context).Live;

    /// <inheritdoc />
    /// <remarks>Keeps the response when it is stored or in the background; the body is the <c>queued</c> object of a
    /// background response, otherwise the finished one.</remarks>
    public byte[] RenderCompletion(EmulatorReply reply, RenderContext context)
    {
        var rendering = Keep(reply, context);
        return rendering.Request.Background ? rendering.Queued : rendering.Final;
    }

    /// <inheritdoc />
    /// <remarks>Answers <c>GET /v1/responses/{id}</c>: the response object, or with <c>?stream=true</c> its kept events after
    /// <c>starting_after</c>.</remarks>
    public async Task ServeResourceAsync(HttpContext context, YuHuanEmulator emulator, string id, CancellationToken cancellationToken)
    {
        var response = context.Response;
        if (_store.Find(id) is not { } stored)
        {
            var notFound = new ReplyError($"Response with id '{id}' not found.", "invalid_request_error", Code: null);
            await WriteErrorAsync(response, emulator, StatusCodes.Status404NotFound, notFound, cancellationToken).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        if (!string.Equals(query["stream"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            var body = stored.Rendering.Request.Background && stored.TakeInProgressPoll() ? stored.Rendering.InProgress : stored.Rendering.Final;
            await EmulatorResponses.WriteBodyAsync(response, emulator, StatusCodes.Status200OK, "application/json", body, reply: null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!stored.Rendering.Request.Background)
        {
            var notBackground = new ReplyError($"Response '{id}' was not created in the background and cannot be streamed.", "invalid_request_error", Code: null, Param: "stream");
            await WriteErrorAsync(response, emulator, StatusCodes.Status400BadRequest, notBackground, cancellationToken).ConfigureAwait(false);
            return;
        }

        var startingAfter = -1L;
        var after = query["starting_after"].ToString();
        if (after.Length > 0 && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out startingAfter))
        {
            var badCursor = new ReplyError($"Invalid 'starting_after': '{after}'; expected a sequence number.", "invalid_request_error", Code: null, Param: "starting_after");
            await WriteErrorAsync(response, emulator, StatusCodes.Status400BadRequest, badCursor, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A resumed stream is sent cleanly: the kept events, in their plain framing, without the faults of the first delivery.
        var sse = new SseResponseWriter(context, new EmulatorReply(), emulator, emulator.FindConnection(context.Connection.Id), cancellationToken);
        await sse.StartAsync().ConfigureAwait(false);

        // The event at index i has sequence number i.
        var events = stored.Rendering.Events;
        for (var i = startingAfter >= events.Count ? events.Count : (int)startingAfter + 1; i < events.Count && !sse.IsFinished; i++)
        {
            await sse.WriteAsync(events[i]).ConfigureAwait(false);
        }

        await sse.CompleteAsync().ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpResponse response, YuHuanEmulator emulator, int statusCode, ReplyError error, CancellationToken cancellationToken) =>
        EmulatorResponses.WriteEmulatorErrorAsync(response, emulator, ResponsesRenderer.Instance, statusCode, error, cancellationToken);

    private ResponsesRendering Keep(EmulatorReply reply, RenderContext context)
    {
        var rendering = ResponsesRenderer.Instance.Render(reply, context);
        if (rendering.Request.Store || rendering.Request.Background)
        {
            _store.Add(new StoredResponse(rendering, reply.PollsBeforeCompletion));
        }

        return rendering;
    }
}
