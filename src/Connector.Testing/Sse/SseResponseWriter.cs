using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Writes server-sent events to a response as a reply scripts it: line endings, comment lines, delays
/// between events, a flush after every event, and an aborted connection after a number of events.
/// Knows nothing about any protocol's payloads.
/// </summary>
internal sealed class SseResponseWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] Comment = ": PROCESSING"u8.ToArray();

    private readonly HttpContext _context;
    private readonly EmulatorReply _reply;
    private readonly byte[] _lineEnding;
    private readonly CancellationToken _cancellationToken;
    private int _eventsWritten;

    public SseResponseWriter(HttpContext context, EmulatorReply reply, CancellationToken cancellationToken)
    {
        _context = context;
        _reply = reply;
        _lineEnding = Encoding.ASCII.GetBytes(reply.LineEnding);
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
        EmulatorResponses.ApplyHeaders(response, _reply);
        await response.StartAsync(_cancellationToken).ConfigureAwait(false);
        if (await FlushAsync().ConfigureAwait(false))
        {
            DropIfScripted();
        }
    }

    /// <summary>Writes one event and flushes it.</summary>
    public async Task WriteAsync(SseEvent sseEvent)
    {
        if (IsFinished)
        {
            return;
        }

        var writer = _context.Response.BodyWriter;
        if (_reply.EmitComments)
        {
            writer.Write(Comment);
            writer.Write(_lineEnding);
            writer.Write(_lineEnding);
            if (!await FlushAsync().ConfigureAwait(false))
            {
                return;
            }
        }

        if (_eventsWritten > 0 && _reply.DelayBetweenEvents > TimeSpan.Zero)
        {
            await Task.Delay(_reply.DelayBetweenEvents, _cancellationToken).ConfigureAwait(false);
        }

        if (sseEvent.EventType is { } eventType)
        {
            writer.Write(EventPrefix);
            writer.Write(Encoding.UTF8.GetBytes(eventType));
            writer.Write(_lineEnding);
        }

        writer.Write(DataPrefix);
        writer.Write(sseEvent.Data.Span);
        writer.Write(_lineEnding);
        writer.Write(_lineEnding);
        if (!await FlushAsync().ConfigureAwait(false))
        {
            return;
        }

        _eventsWritten++;
        DropIfScripted();
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
            Drop();
            return;
        }

        await _context.Response.CompleteAsync().ConfigureAwait(false);
    }

    private async Task<bool> FlushAsync()
    {
        var result = await _context.Response.BodyWriter.FlushAsync(_cancellationToken).ConfigureAwait(false);
        _cancellationToken.ThrowIfCancellationRequested();
        if (result.IsCompleted || result.IsCanceled)
        {
            // The client is gone: nobody reads what comes next.
            IsFinished = true;
            return false;
        }

        return true;
    }

    private void DropIfScripted()
    {
        if (_reply.DropAfterEvents == _eventsWritten)
        {
            Drop();
        }
    }

    private void Drop()
    {
        IsFinished = true;
        _context.Abort();
    }
}
