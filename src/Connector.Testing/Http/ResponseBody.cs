using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// The body of one emulator response: written as is or through gzip, flushed on request, and counted in
/// <see cref="YuHuanEmulator.BodyBytesSent"/> (before compression).
/// </summary>
internal sealed class ResponseBody
{
    private const int FillerChunkBytes = 64 * 1024;

    private static readonly byte[] Filler = CreateFiller();

    private readonly HttpResponse _response;
    private readonly YuHuanEmulator _emulator;
    private readonly CancellationToken _cancellationToken;
    private GZipStream? _gzip;

    /// <summary>Initializes the body of <paramref name="response"/>; call <see cref="Prepare"/> before the headers are sent.</summary>
    public ResponseBody(HttpResponse response, EmulatorReply? reply, YuHuanEmulator emulator, CancellationToken cancellationToken)
    {
        _response = response;
        _emulator = emulator;
        _cancellationToken = cancellationToken;
        IsGzip = reply?.IsGzip ?? false;
    }

    /// <summary>Gets a value indicating whether the body is compressed with gzip.</summary>
    public bool IsGzip { get; }

    /// <summary>Sets <c>Content-Encoding</c> and drops the content length when the body is compressed (it is then chunked).</summary>
    public void Prepare()
    {
        if (IsGzip)
        {
            _response.ContentLength = null;
            _response.Headers.ContentEncoding = "gzip";
        }
    }

    /// <summary>Writes bytes, flushing them to the client when <paramref name="flush"/> is set.</summary>
    /// <returns><see langword="false"/> when the client is gone and nothing more should be written.</returns>
    public async Task<bool> WriteAsync(ReadOnlyMemory<byte> data, bool flush)
    {
        _emulator.AddBodyBytes(data.Length);
        if (IsGzip)
        {
            _gzip ??= new GZipStream(_response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await _gzip.WriteAsync(data, _cancellationToken).ConfigureAwait(false);
            if (flush)
            {
                await _gzip.FlushAsync(_cancellationToken).ConfigureAwait(false);
            }

            return !_cancellationToken.IsCancellationRequested;
        }

        var writer = _response.BodyWriter;
        writer.Write(data.Span);
        if (!flush)
        {
            return true;
        }

        var result = await writer.FlushAsync(_cancellationToken).ConfigureAwait(false);
        _cancellationToken.ThrowIfCancellationRequested();
        return !(result.IsCompleted || result.IsCanceled);
    }

    /// <summary>Writes <paramref name="count"/> filler bytes (<c>x</c>) piece by piece, flushing each piece.</summary>
    /// <returns><see langword="false"/> when the client is gone and nothing more should be written.</returns>
    public async Task<bool> WriteFillerAsync(long count)
    {
        while (count > 0)
        {
            var piece = (int)Math.Min(count, Filler.Length);
            if (!await WriteAsync(Filler.AsMemory(0, piece), flush: true).ConfigureAwait(false))
            {
                return false;
            }

            count -= piece;
        }

        return true;
    }

    /// <summary>Ends the body normally: the gzip trailer is written and the response completed.</summary>
    public async Task CompleteAsync()
    {
        if (_gzip is not null)
        {
            await _gzip.DisposeAsync().ConfigureAwait(false);
            _gzip = null;
        }
        else if (IsGzip)
        {
            // An empty body still needs a valid (empty) gzip member.
            await using (new GZipStream(_response.Body, CompressionLevel.Fastest, leaveOpen: true).ConfigureAwait(false))
            {
            }
        }

        await _response.CompleteAsync().ConfigureAwait(false);
    }

    private static byte[] CreateFiller()
    {
        var filler = new byte[FillerChunkBytes];
        filler.AsSpan().Fill(SseFraming.FillerByte);
        return filler;
    }
}
