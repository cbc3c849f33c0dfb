using System.Net;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>Response content that reports its disposal once, and otherwise behaves exactly as the content it wraps.</summary>
internal sealed class TrackedContent : HttpContent
{
    private readonly HttpContent _inner;
    private Action? _onDispose;

    public TrackedContent(HttpContent inner, Action onDispose)
    {
        _inner = inner;
        _onDispose = onDispose;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream, context);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _inner.CopyToAsync(stream, context, cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            Interlocked.Exchange(ref _onDispose, null)?.Invoke();
        }

        base.Dispose(disposing);
    }
}
