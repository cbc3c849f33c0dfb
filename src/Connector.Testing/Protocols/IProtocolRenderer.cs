namespace YuHuan.Connector.Testing;

/// <summary>
/// One wire protocol of the emulated gateway: where it is served, and how a protocol-neutral
/// <see cref="EmulatorReply"/> and its errors look in it. Implementations are stateless and thread-safe.
/// </summary>
/// <remarks>Each protocol is registered once, in <see cref="EmulatorProtocols"/>. A protocol that keeps state between
/// requests (checks against it, resources served by id) is an <see cref="IStatefulRenderer"/> as well.</remarks>
internal interface IProtocolRenderer
{
    /// <summary>Gets the path the protocol is served at, relative to the gateway's <c>/v1/</c> base, such as <c>messages</c>.</summary>
    string Route { get; }

    /// <summary>Gets the prefix of the response ids the emulator makes up, such as <c>msg_emu_</c>.</summary>
    string ResponseIdPrefix { get; }

    /// <summary>Renders the events of a streamed response, in order, without framing.</summary>
    /// <param name="reply">The scripted reply.</param>
    /// <param name="context">The response's id, model, time and id source.</param>
    /// <returns>The events, rendered lazily.</returns>
    IEnumerable<SseEvent> RenderStream(EmulatorReply reply, RenderContext context);

    /// <summary>Renders the whole response of a non-streaming request.</summary>
    /// <param name="reply">The scripted reply.</param>
    /// <param name="context">The response's id, model, time and id source.</param>
    /// <returns>The UTF-8 JSON body.</returns>
    byte[] RenderCompletion(EmulatorReply reply, RenderContext context);

    /// <summary>Renders the JSON body of an HTTP error response.</summary>
    /// <param name="error">The error.</param>
    /// <param name="ids">The source of a request id, for protocols whose error bodies carry one.</param>
    /// <returns>The UTF-8 JSON body.</returns>
    byte[] RenderError(ReplyError error, IdCounter ids);
}
