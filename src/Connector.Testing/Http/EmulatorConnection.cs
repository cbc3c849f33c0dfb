using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace YuHuan.Connector.Testing;

/// <summary>
/// One TCP connection to the emulator, between Kestrel's HTTP layer and the socket: response bytes pass through a
/// pipe of the emulator's own, so a scripted drop can close the connection right after the bytes written so far
/// (never before they are on their way, never with more), and the moment the server saw the connection close is known.
/// </summary>
/// <remarks>
/// Aborting the request (<c>HttpContext.Abort</c>) right after a flush loses a race: Kestrel's socket transport may not
/// have sent the flushed bytes yet, and it disposes the socket while its receive is pending, which closes it with a
/// reset that also discards what the client had not read yet. So the bytes go to the socket from here
/// (<see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/> completes once the kernel has
/// them), and a drop shuts down only the sending side: the client gets every byte, then the end of the stream, and the
/// body ends without its terminating chunk, which a client reads as a connection lost mid-body.
/// </remarks>
internal sealed class EmulatorConnection : IDuplexPipe
{
    private readonly PipeWriter _transportOutput;
    private readonly Socket? _socket;
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _dropRequested;
    private Task _pump = Task.CompletedTask;

    public EmulatorConnection(IDuplexPipe transport, Socket? socket)
    {
        Input = transport.Input;
        _transportOutput = transport.Output;
        _socket = socket;
    }

    /// <summary>Gets the bytes from the client, as the transport delivers them.</summary>
    public PipeReader Input { get; }

    /// <summary>Gets where the HTTP layer writes the response bytes.</summary>
    public PipeWriter Output => _output.Writer;

    /// <summary>Gets a task that completes when the server saw the connection close, whichever side closed it.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Starts forwarding the response bytes to the transport.</summary>
    public void Start() => _pump = PumpAsync();

    /// <summary>
    /// Sends what the HTTP layer has flushed so far, then closes the connection; nothing written afterwards (such as the
    /// terminating chunk of the body) reaches the client.
    /// </summary>
    /// <returns>A task that completes when the bytes were handed to the transport and its output was completed.</returns>
    public Task DropAsync()
    {
        _dropRequested = true;
        _output.Reader.CancelPendingRead();
        return _dropped.Task;
    }

    /// <summary>Records that the server saw the connection close.</summary>
    public void MarkClosed() => _closed.TrySetResult();

    /// <summary>Ends forwarding once the HTTP layer is done with the connection, and records the close.</summary>
    public async Task StopAsync()
    {
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _dropped.TrySetResult();
        MarkClosed();
    }

    private async Task PumpAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var sent = await ForwardAsync(result.Buffer).ConfigureAwait(false);
                reader.AdvanceTo(result.Buffer.End);
                if (_dropRequested)
                {
                    // The HTTP layer waits for the drop, so what it flushed before asking is all there is to send.
                    if (sent && reader.TryRead(out var rest))
                    {
                        sent = await ForwardAsync(rest.Buffer).ConfigureAwait(false);
                        reader.AdvanceTo(rest.Buffer.End);
                    }

                    if (sent)
                    {
                        _socket?.Shutdown(SocketShutdown.Send);
                    }

                    return;
                }

                if (!sent || result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The transport went away under the pump (an abort): there is nobody left to send to.
        }
        finally
        {
            // The socket transport sends what it holds, then shuts the socket down; later writes of the HTTP layer
            // see a completed pipe, as they would a client that went away.
            await _transportOutput.CompleteAsync().ConfigureAwait(false);
            await reader.CompleteAsync().ConfigureAwait(false);
            _dropped.TrySetResult();
        }
    }

    /// <summary>Hands bytes to the transport and flushes them.</summary>
    /// <returns><see langword="false"/> when the transport no longer takes bytes.</returns>
    private async ValueTask<bool> ForwardAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return true;
        }

        if (_socket is not null)
        {
            foreach (var segment in buffer)
            {
                for (var offset = 0; offset < segment.Length;)
                {
                    offset += await _socket.SendAsync(segment[offset..], SocketFlags.None).ConfigureAwait(false);
                }
            }

            return true;
        }

        foreach (var segment in buffer)
        {
            _transportOutput.Write(segment.Span);
        }

        var flush = await _transportOutput.FlushAsync().ConfigureAwait(false);
        return !(flush.IsCompleted || flush.IsCanceled);
    }
}
