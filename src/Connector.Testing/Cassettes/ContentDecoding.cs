using System.IO.Compression;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Decodes a recorded body that arrived compressed (<c>Content-Encoding</c> gzip, deflate or br), so that a cassette
/// holds the body a reader sees, scrubbed like any other, and a replay sends it without the encoding. Used when the
/// recorder stands inside a handler that does not decompress.
/// </summary>
internal static class ContentDecoding
{
    /// <summary>Decodes <paramref name="chunks"/> as one piece at the time the last arrived; as much as arrived when the
    /// body was cut. Returns <see langword="null"/> when an encoding is not one of gzip, deflate and br.</summary>
    public static List<CassetteChunk>? Decode(List<CassetteChunk> chunks, IReadOnlyList<string> encodings)
    {
        if (chunks.Count == 0)
        {
            return chunks;
        }

        var body = chunks.SelectMany(c => c.Data).ToArray();

        // Encodings are listed in the order they were applied: the last is undone first.
        for (var i = encodings.Count - 1; i >= 0; i--)
        {
            if (Decode(body, encodings[i]) is not { } decoded)
            {
                return null;
            }

            body = decoded;
        }

        return [new CassetteChunk(chunks[^1].At, body)];
    }

    private static byte[]? Decode(byte[] body, string encoding)
    {
        var name = encoding.Trim().ToUpperInvariant();
        if (name == "IDENTITY")
        {
            return body;
        }

        using var source = new MemoryStream(body);
        using Stream? decoder = name switch
        {
            "GZIP" or "X-GZIP" => new GZipStream(source, CompressionMode.Decompress),
            "DEFLATE" => new ZLibStream(source, CompressionMode.Decompress),
            "BR" => new BrotliStream(source, CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
        {
            return null;
        }

        using var decoded = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = decoder.Read(buffer)) > 0)
            {
                decoded.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // A body cut short decodes as far as it arrived.
        }

        return decoded.ToArray();
    }
}
