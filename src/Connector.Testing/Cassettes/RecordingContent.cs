using System.Net;

namespace YuHuan.Connector.Testing;

/// <summary>The content of a response being recorded: the server's content, read through a <see cref="RecordingStream"/>.</summary>
internal sealed class RecordingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly RecordedBody _body;

    public RecordingContent(HttpContent inner, RecordedBody body)
    {
        _inner = inner;
        _body = body;
        foreach (var (name, values) in inner.Headers)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            return new RecordingStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _body);
        }
        catch (Exception ex)
        {
            _body.End(RecordingStream.Outcome(ex, cancellationToken));
            throw;
        }
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken)
    {
        try
        {
            return new RecordingStream(_inner.ReadAsStream(cancellationToken), _body);
        }
        catch (Exception ex)
        {
            _body.End(RecordingStream.Outcome(ex, cancellationToken));
            throw;
        }
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = CreateContentReadStream(cancellationToken);
        source.CopyTo(stream);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The connection closes first; then a body nobody read to its end is recorded as far as it was read.
            _inner.Dispose();
            _body.End(CassetteOutcome.Abandoned);
        }

        base.Dispose(disposing);
    }
}
