using System.Buffers;

using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Http;

/// <summary>
/// A successful response of the gateway whose body has not been read yet. Disposing it before the answer was complete
/// (a cancellation, a <c>break</c>, a failure) closes the connection, so the server stops at once instead of streaming
/// into a drain.
/// </summary>
internal sealed class GatewayResponse : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _readCancellation;
    private readonly GuardedReadStream _body;
    private bool _answerComplete;

    public GatewayResponse(HttpResponseMessage response, GuardedReadStream body, CancellationTokenSource readCancellation)
    {
        _response = response;
        _body = body;
        _readCancellation = readCancellation;
    }

    /// <summary>Gets the body, guarded by the network timeout.</summary>
    public Stream Body => _body;

    /// <summary>Gets the token that cancels body reads: the caller's token, linked with the network timeout.</summary>
    public CancellationToken ReadToken => _readCancellation.Token;

    /// <summary>Gets the media type of the body, lower case, or an empty string.</summary>
    public string MediaType => _response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant() ?? string.Empty;

    /// <summary>Gets a value indicating whether the body is a server-sent event stream.</summary>
    public bool IsEventStream => MediaType == "text/event-stream";

    /// <summary>Gets a value indicating whether the body is JSON.</summary>
    public bool IsJson => MediaType.EndsWith("json", StringComparison.Ordinal);

    /// <summary>Reads the whole body, failing when it is larger than <paramref name="maxBytes"/>.</summary>
    public async Task<ReadOnlyMemory<byte>> ReadAllAsync(int maxBytes)
    {
        // Sized by Content-Length when the server sent one (plus a byte to see the end), so a body is read without regrowth.
        var length = _response.Content.Headers.ContentLength;
        var buffer = new ArrayBufferWriter<byte>(length is > 0 and < int.MaxValue ? (int)Math.Min(length.Value + 1, maxBytes + 1L) : 4096);
        while (true)
        {
            var memory = buffer.GetMemory();
            var read = await Body.ReadAsync(memory, ReadToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw ClientErrors.TooLarge("The gateway's response (bytes)", maxBytes);
            }
        }
    }

    /// <summary>Creates the exception for a successful response whose body is neither an event stream nor JSON.</summary>
    public YuHuanApiException UnexpectedMediaType() =>
        new($"The gateway answered 200 with content type '{(MediaType.Length == 0 ? "(none)" : MediaType)}' where text/event-stream or JSON was expected.", null, YuHuanErrorTypes.InvalidResponse, null);

    /// <summary>
    /// Records that the protocol's answer is complete (its terminal event was read): at most the end of the body is left,
    /// which may be drained so the connection can be reused.
    /// </summary>
    public void AnswerCompleted() => _answerComplete = true;

    /// <summary>Releases the response, closing its connection when the body was abandoned before the answer was complete.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_answerComplete)
        {
            await _body.AbandonAsync().ConfigureAwait(false);
        }

        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        _readCancellation.Dispose();
    }
}
