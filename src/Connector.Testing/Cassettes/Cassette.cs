namespace YuHuan.Connector.Testing;

/// <summary>
/// Recorded exchanges with a gateway, kept in a text file a person can review: one JSON object per line, each response
/// body piece by piece as it arrived, with its timing. <see cref="CassetteRecorder"/> writes one;
/// <see cref="YuHuanEmulator.ServeCassette"/> replays one.
/// </summary>
/// <remarks>
/// <para>The file starts with <c>{"yuhuan_cassette":1}</c>; then, for each exchange in the order its request was sent, a
/// <c>request</c> line (method, path, query, body), a <c>response</c> line (when the headers arrived, status, the headers
/// that matter, the declared length), a <c>chunk</c> line per piece of the body as it arrived (<c>text</c>, or
/// <c>base64</c> for bytes that are not UTF-8; a piece holding several server-sent events goes on in lines marked
/// <c>"continues":true</c>, one event per line) and an <c>end</c> line with the <see cref="CassetteOutcome"/>. Times are
/// milliseconds from the start of the request.</para>
/// <code>
/// {"yuhuan_cassette":1}
/// {"exchange":1,"request":{"method":"POST","path":"/v1/chat/completions","query":"","body":{"model":"m","stream":true}}}
/// {"exchange":1,"response":{"at_ms":41.2,"status":200,"headers":{"Content-Type":"text/event-stream"}}}
/// {"exchange":1,"chunk":{"at_ms":41.9,"text":"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"}}
/// {"exchange":1,"end":{"at_ms":44.0,"outcome":"complete"}}
/// </code>
/// <para>An instance does not change once made, so one may be replayed by several emulators at once.</para>
/// </remarks>
public sealed class Cassette
{
    internal Cassette(IReadOnlyList<CassetteExchange> exchanges)
    {
        Exchanges = exchanges;
    }

    /// <summary>Gets the exchanges, in the order their requests were sent.</summary>
    public IReadOnlyList<CassetteExchange> Exchanges { get; }

    /// <summary>Reads a cassette file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The cassette.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a cassette; the message names the line.</exception>
    public static Cassette Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return CassetteFormat.Read(reader, path);
    }

    /// <summary>Reads a cassette from text.</summary>
    /// <param name="reader">The text, such as a <see cref="StringReader"/>.</param>
    /// <returns>The cassette.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The text is not a cassette; the message names the line.</exception>
    public static Cassette Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return CassetteFormat.Read(reader, source: null);
    }

    /// <summary>Writes the cassette to a file, creating its folder; the file is replaced whole or not at all.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var writer = new StreamWriter(temporary))
            {
                Write(writer);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the cassette as text.</summary>
    /// <param name="writer">Where to write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CassetteFormat.Write(writer, Exchanges);
    }
}
