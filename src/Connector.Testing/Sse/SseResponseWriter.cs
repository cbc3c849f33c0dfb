using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Writes server-sent events to a response as a reply scripts it: line endings, comment lines, delays
/// between events, a flush after every event, gzip, a pause after a number of events, and an aborted
/// connection after a number of events. Knows nothing about any protocol's payloads.
/// </summary>
internal sealed class SseResponseWriter
{
    private readonly HttpContext _context;
    private readonly EmulatorReply _reply;
    private readonly ResponseBody _body;
    private readonly byte[] _lineEnding;
    private readonly EmulatorConnection? _connection;
    private readonly CancellationToken _cancellationToken;
    private int _eventsWritten;

    public SseResponseWriter(HttpContext context, EmulatorReply reply, YuHuanEmulator emulator, EmulatorConnection? connection, CancellationToken cancellationToken)
    {
        _context = context;
        _connection = connection;
        _reply = reply;
        _body = new ResponseBody(context.Response, reply, emulator, cancellationToken);
        _lineEnding = SseFraming.LineEnding(reply);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Gets a value indicating whether the response is over (the connection was aborted as scripted,
    /// or the client went away); write nothing more.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Sends the status line and headers.</summary>
    public async Task StartAsync()
    {
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        _body.Prepare();
        EmulatorResponses.ApplyHeaders(response, _reply);
        await response.StartAsync(_cancellationToken).ConfigureAwait(false);
        if (await FlushAsync().ConfigureAwait(false))
        {
            await AfterEventAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes one event and flushes it.</summary>
    public async Task WriteAsync(SseEvent sseEvent)
    {
        if (IsFinished)
        {
            return;
        }

        if (_reply.EmitComments)
        {
            var comment = new ArrayBufferWriter<byte>(32);
            SseFraming.WriteComment(comment, _lineEnding);
            if (!await WriteAsync(comment.WrittenMemory, flush: true).ConfigureAwait(false))
            {
                return;
            }
        }

        if (_eventsWritten > 0 && _reply.DelayBetweenEvents > TimeSpan.Zero)
        {
            await Task.Delay(_reply.DelayBetweenEvents, _cancellationToken).ConfigureAwait(false);
        }

        var frame = new ArrayBufferWriter<byte>(sseEvent.Data.Length + 64);
        SseFraming.WriteHead(frame, sseEvent, _lineEnding);
        if (sseEvent.PaddingBytes is { } padding)
        {
            // Written piece by piece: the line may be far larger than anything the emulator should hold.
            if (!await WriteAsync(frame.WrittenMemory, flush: true).ConfigureAwait(false)
                || !await _body.WriteFillerAsync(padding).ConfigureAwait(false))
            {
                IsFinished = true;
                return;
            }

            frame = new ArrayBufferWriter<byte>(16);
        }

        SseFraming.WriteTail(frame, sseEvent, _lineEnding);
        if (!await WriteAsync(frame.WrittenMemory, flush: true).ConfigureAwait(false))
        {
            return;
        }

        _eventsWritten++;
        await AfterEventAsync().ConfigureAwait(false);
    }

    /// <summary>Ends the stream: normally, or by aborting the connection when a drop was scripted but not reached.</summary>
    public async Task CompleteAsync()
    {
        if (IsFinished)
        {
            return;
        }

        if (_reply.DropAfterEvents is not null)
        {
            await DropAsync().ConfigureAwait(false);
            return;
        }

        await _body.CompleteAsync().ConfigureAwait(false);
    }

    private async Task<bool> WriteAsync(ReadOnlyMemory<byte> data, bool flush)
    {
        if (await _body.WriteAsync(data, flush).ConfigureAwait(false))
        {
            return true;
        }

        // The client is gone: nobody reads what comes next.
        IsFinished = true;
        return false;
    }

    private Task<bool> FlushAsync() => WriteAsync(ReadOnlyMemory<byte>.Empty, flush: true);

    private async Task AfterEventAsync()
    {
        if (_reply.PauseAfterEvents == _eventsWritten && _reply.ResumeAfterPause is { } resume)
        {
            await resume.WaitAsync(_cancellationToken).ConfigureAwait(false);
        }

        if (_reply.DropAfterEvents == _eventsWritten)
        {
            await DropAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the connection after exactly the events written so far: they were flushed into the connection's pipe, and
    /// the connection sends them before it shuts the socket down (an abort could discard them, see <see cref="EmulatorConnection"/>).
    /// </summary>
    private async Task DropAsync()
    {
        IsFinished = true;
        if (_connection is null)
        {
            _context.Abort();
            return;
        }

        // Not bound to the request's token: the close this causes cancels it, and an abort then could still discard bytes.
        await _connection.DropAsync().ConfigureAwait(false);
    }
}
