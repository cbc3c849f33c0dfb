using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace YuHuan.Connector.Shared;

/// <summary>
/// A reusable buffer and <see cref="Utf8JsonWriter"/> for writing request JSON: scratches are kept per thread between
/// requests, so a body costs one exact-size array instead of a buffer grown by doubling. Nested use (a tool call's
/// arguments written while the body is being written) takes a second one, and each thread keeps two: giving back
/// the inner one must not push the outer one out of the cache, or every request with a tool call in its history
/// would allocate a fresh buffer.
/// </summary>
internal sealed class JsonScratch : IDisposable
{
    private const int MaxCachedCapacity = 1024 * 1024;

    [ThreadStatic]
    private static JsonScratch? t_cached;

    [ThreadStatic]
    private static JsonScratch? t_cachedNested;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Bodies go to an API, not into HTML: keep non-ASCII text as UTF-8 rather than \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    private bool _rented;

    private JsonScratch() => Writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>Gets the writer, empty.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>Takes one of this thread's two scratches (or a new one when both are in use); dispose it to give it back.</summary>
    public static JsonScratch Rent()
    {
        JsonScratch scratch;
        if (t_cached is { } cached)
        {
            scratch = cached;
            t_cached = null;
        }
        else if (t_cachedNested is { } nested)
        {
            scratch = nested;
            t_cachedNested = null;
        }
        else
        {
            scratch = new JsonScratch();
        }

        scratch._rented = true;
        scratch._buffer.ResetWrittenCount();
        scratch.Writer.Reset(scratch._buffer);
        return scratch;
    }

    /// <summary>Gets what was written, valid until the scratch is given back.</summary>
    public ReadOnlySpan<byte> WrittenUtf8
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenSpan;
        }
    }

    /// <summary>Copies what was written into an array of its exact size.</summary>
    public byte[] ToArray() => WrittenUtf8.ToArray();

    /// <summary>Returns what was written as a string.</summary>
    public string ToUtf8String() => Encoding.UTF8.GetString(WrittenUtf8);

    /// <summary>Gives the scratch back for the next request on this thread, unless it grew very large or both places are taken.</summary>
    public void Dispose()
    {
        if (!_rented)
        {
            // Given back twice: caching it again would hand one buffer to two writers.
            return;
        }

        _rented = false;
        if (_buffer.Capacity > MaxCachedCapacity)
        {
            return;
        }

        if (t_cached is null)
        {
            t_cached = this;
        }
        else
        {
            t_cachedNested ??= this;
        }
    }
}
