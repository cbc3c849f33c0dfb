// EmulatorReply: delivery of a streamed reply: padding, stream errors, truncation, dropped connections, pauses,
// polls, delays, headers, line endings, comments and compression.
namespace YuHuan.Connector.Testing;

public sealed partial class EmulatorReply
{
    /// <summary>
    /// Adds an event that carries no content, only an unknown field holding <paramref name="bytes"/> filler
    /// characters on a single <c>data:</c> line: <c>{"padding":"xxx…"}</c> in Chat Completions, a
    /// <c>ping</c> event <c>{"type":"ping","padding":"xxx…"}</c> in Messages, a <c>keepalive</c> event
    /// <c>{"type":"keepalive","sequence_number":N,"padding":"xxx…"}</c> in Responses. It is written piece by piece, never held
    /// in memory, so a padding of 100 MB tests how a client handles a line larger than it should accept. In a
    /// non-streamed reply the filler is a top-level <c>padding</c> field of the response object.
    /// </summary>
    /// <param name="bytes">The number of filler characters (ASCII, so also bytes).</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply AddPadding(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        EnsureScripted();
        _parts.Add(ReplyPart.Padding(bytes));
        return this;
    }

    /// <summary>
    /// Makes a streamed reply fail after HTTP 200: once all content parts are sent, an error event is sent
    /// and the stream ends, with no finish reason, usage or end marker. A non-streaming request gets the
    /// error as HTTP 500 instead, in the protocol's error body (see <see cref="HttpError"/>).
    /// </summary>
    /// <remarks>Chat Completions sends <c>data: {"error":{"message","type","code"}}</c>; Messages sends
    /// <c>event: error</c> with <c>{"type":"error","error":{"type","message"}}</c>; Responses sends an <c>error</c> event
    /// <c>{"type":"error","code","message","param":null}</c> followed by <c>response.failed</c>, whose response has
    /// <c>status: "failed"</c> and <c>error: {"code","message"}</c> (in both, the code, or the type when no code is given).</remarks>
    /// <param name="message">The error message.</param>
    /// <param name="type">The error type, such as <c>server_error</c> or <c>overloaded_error</c>.</param>
    /// <param name="code">The error code, or <see langword="null"/>; Chat Completions sends it beside the type, Responses instead of it, Messages not at all.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="type"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithStreamError(string message, string type = "server_error", string? code = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(type);
        EnsureScripted();
        StreamError = new ReplyError(message, type, code);
        return this;
    }

    /// <summary>
    /// Makes a streamed reply end normally right after its content parts, with no finish reason, usage or
    /// end marker (Messages: no <c>message_delta</c> or <c>message_stop</c>; Responses: no terminal event), like a server
    /// that just stops. Has no effect on non-streaming requests. A Responses background response keeps its whole stream,
    /// terminal event included, for a client that resumes it.
    /// </summary>
    /// <returns>This reply.</returns>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply Truncated()
    {
        EnsureScripted();
        IsTruncated = true;
        return this;
    }

    /// <summary>
    /// Makes a streamed reply close the connection after exactly <paramref name="events"/> events have been written
    /// and flushed (0: right after the headers). When the reply has fewer events, the connection is closed
    /// after the last one instead of ending normally. Has no effect on non-streaming requests.
    /// </summary>
    /// <remarks>The events are sent in full before the connection closes, and nothing after them: the body ends without
    /// its terminating chunk, so a client reads exactly those events, then fails as on a connection lost mid-body.</remarks>
    /// <param name="events">The number of events to send before the connection is aborted.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="events"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply DropConnectionAfter(int events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        EnsureScripted();
        DropAfterEvents = events;
        return this;
    }

    /// <summary>
    /// Makes a streamed reply stop after <paramref name="events"/> events have been written and flushed (0: right
    /// after the headers) until <paramref name="resume"/> completes, the client goes away or the emulator is
    /// disposed. A test can so read exactly what was sent before a fault, then let the fault happen: with
    /// <see cref="DropConnectionAfter"/> of the same count, the connection is aborted when <paramref name="resume"/>
    /// completes; with a task that never completes, the server stalls mid-stream.
    /// </summary>
    /// <param name="events">The number of events to send before pausing.</param>
    /// <param name="resume">The task whose completion ends the pause.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="events"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="resume"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply PauseAfter(int events, Task resume)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentNullException.ThrowIfNull(resume);
        EnsureScripted();
        PauseAfterEvents = events;
        ResumeAfterPause = resume;
        return this;
    }

    /// <summary>
    /// Makes a Responses background response (<c>"background": true</c>) answer its first <paramref name="polls"/>
    /// <c>GET /v1/responses/{id}</c> polls with <c>status: "in_progress"</c> (no output, no usage), and the later ones with
    /// the finished response object. By default (0) the first poll gets the finished object.
    /// </summary>
    /// <remarks>Chat Completions and Messages have no background responses and ignore it.</remarks>
    /// <param name="polls">The number of polls answered with <c>in_progress</c>.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polls"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithPollsBeforeCompletion(int polls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(polls);
        EnsureScripted();
        PollsBeforeCompletion = polls;
        return this;
    }

    /// <summary>Makes a streamed reply wait between events (after flushing one, before writing the next).</summary>
    /// <param name="delay">The wait; cancelled when the client aborts or the emulator is disposed.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithDelayBetweenEvents(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        EnsureScripted();
        DelayBetweenEvents = delay;
        return this;
    }

    /// <summary>Makes the reply wait before sending the status line and headers (or, for a reset reply, before the reset), for any kind of reply.</summary>
    /// <param name="delay">The wait; cancelled when the client aborts or the emulator is disposed.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public EmulatorReply WithDelayBeforeHeaders(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        DelayBeforeHeaders = delay;
        return this;
    }

    /// <summary>
    /// Adds a response header, for any kind of reply that sends a response. It replaces a header of the same name the emulator
    /// would send (such as <c>Content-Type</c>); adding the same name twice sends both values.
    /// </summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public EmulatorReply WithHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _headers.Add(new KeyValuePair<string, string>(name, value));
        return this;
    }

    /// <summary>Sets the line ending of a streamed reply's events: <c>"\n"</c> (the default), <c>"\r\n"</c> or <c>"\r"</c>.</summary>
    /// <param name="lineEnding">The line ending.</param>
    /// <returns>This reply.</returns>
    /// <exception cref="ArgumentException"><paramref name="lineEnding"/> is not one of the three SSE line endings.</exception>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithLineEnding(string lineEnding)
    {
        if (lineEnding is not ("\n" or "\r\n" or "\r"))
        {
            throw new ArgumentException("The line ending must be \"\\n\", \"\\r\\n\" or \"\\r\".", nameof(lineEnding));
        }

        EnsureScripted();
        LineEnding = lineEnding;
        return this;
    }

    /// <summary>Makes a streamed reply send an SSE comment line (<c>: PROCESSING</c>) before each event,
    /// as some servers do to keep a connection alive.</summary>
    /// <returns>This reply.</returns>
    /// <exception cref="InvalidOperationException">This is an error, raw or reset reply.</exception>
    public EmulatorReply WithComments()
    {
        EnsureScripted();
        EmitComments = true;
        return this;
    }

    /// <summary>
    /// Makes the reply compress its body with gzip and send <c>Content-Encoding: gzip</c>, whether or not the
    /// request asked for it; a stream is flushed through the compressor after every event, so events still
    /// arrive one by one. Applies to scripted, error and raw replies.
    /// </summary>
    /// <returns>This reply.</returns>
    /// <exception cref="InvalidOperationException">This is a reset reply, which sends no body.</exception>
    public EmulatorReply WithGzip()
    {
        if (Kind == ReplyKind.Reset)
        {
            throw new InvalidOperationException("A reply created by ResetBeforeHeaders sends no body to compress.");
        }

        IsGzip = true;
        return this;
    }
}
