namespace YuHuan.Connector.Http;

/// <summary>
/// Ends a response body that was not read to its end by closing its connection, so the server stops sending (and,
/// against the real gateway, stops generating) at once.
/// </summary>
/// <remarks>
/// <para>Disposing an unread body makes <see cref="SocketsHttpHandler"/> drain it to reuse the connection: up to
/// <see cref="SocketsHttpHandler.MaxResponseDrainSize"/> bytes for up to <see cref="SocketsHttpHandler.ResponseDrainTimeout"/>
/// (1 MB, 2 s by default), all the while the server keeps streaming. A read that is pending when its token is cancelled
/// makes the handler dispose the connection instead. So the body is read with a token of its own until a read has to
/// wait for the network, and that read is cancelled. This goes through whatever handlers pass the token down
/// (delegating handlers, <see cref="HttpClientHandler"/>, decompression), so it works for a caller's
/// <see cref="HttpClient"/> as well as the client's own.</para>
/// <para>What the connection already holds is read first, up to a bound; a body that turns out to end there leaves
/// its connection reusable.</para>
/// </remarks>
internal static class UnreadBody
{
    private const int MaxBufferedBytes = 64 * 1024;

    // Only for a stream that ignores cancellation: the cancelled read is given this long before the body is disposed anyway.
    private static readonly TimeSpan CancelledReadGrace = TimeSpan.FromSeconds(1);

    /// <summary>Closes the connection of <paramref name="body"/> unless the body ends with what already arrived; never throws.</summary>
    public static async ValueTask AbortAsync(Stream body)
    {
        // Not pooled: a read that ignores its cancellation may still write into the buffer after this method returned.
        var buffer = new byte[4096];
        using var abort = new CancellationTokenSource();
        try
        {
            for (var consumed = 0; consumed < MaxBufferedBytes;)
            {
                var read = body.ReadAsync(buffer, abort.Token);
                if (!read.IsCompleted)
                {
                    var pending = read.AsTask();
                    await abort.CancelAsync().ConfigureAwait(false);
                    await pending.WaitAsync(CancelledReadGrace).ConfigureAwait(false);
                    return;
                }

                var count = await read.ConfigureAwait(false);
                if (count == 0)
                {
                    return;
                }

                consumed += count;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The cancelled read ends this way, or the body had failed already (with whatever the pipeline throws, which
            // the caller has seen): either way there is nothing left to stop, and disposing must not hide the first failure.
        }
    }
}
