using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>
/// What one emulator keeps of a stateful protocol between requests (see <see cref="IStatefulRenderer"/>): it checks a
/// request against what was kept before any reply is taken, and renders each reply, keeping what later requests may
/// refer to (such as a stored response a follow-up request names). Implementations are thread-safe.
/// </summary>
internal interface IProtocolState
{
    /// <summary>Checks a request against what is kept, before it takes a reply from the queue.</summary>
    /// <param name="request">The parsed body of the request, a JSON object.</param>
    /// <returns>The error to answer with (HTTP 400, no reply taken), such as for a request naming an earlier response that
    /// was never kept; <see langword="null"/> when the request may be served.</returns>
    ReplyError? CheckRequest(JsonElement request);

    /// <summary>Gets a value indicating whether a non-streamed request is answered before its reply has run its course (such
    /// as a request for a background response): a scripted stream error then shows in what is read later, in the
    /// protocol's own words, rather than as an HTTP 500 error body.</summary>
    /// <param name="request">The parsed body of the request, a JSON object.</param>
    /// <returns><see langword="true"/> to render the reply with <see cref="RenderCompletion"/> even when it scripts a stream error.</returns>
    bool DefersStreamError(JsonElement request);

    /// <summary>Renders the events of a streamed response, as <see cref="IProtocolRenderer.RenderStream"/> does, and keeps
    /// what later requests may refer to.</summary>
    /// <param name="reply">The scripted reply.</param>
    /// <param name="context">The response's id, model, time, id source and request.</param>
    /// <returns>The events a live stream sends.</returns>
    IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context);

    /// <summary>Renders the body of a non-streamed response, as <see cref="IProtocolRenderer.RenderCompletion"/> does, and
    /// keeps what later requests may refer to.</summary>
    /// <param name="reply">The scripted reply.</param>
    /// <param name="context">The response's id, model, time, id source and request.</param>
    /// <returns>The UTF-8 JSON body.</returns>
    byte[] RenderCompletion(EmulatorReply reply, RenderContext context);
}
