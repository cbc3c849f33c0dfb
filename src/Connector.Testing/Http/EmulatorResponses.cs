using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace YuHuan.Connector.Testing;

/// <summary>Writes the emulator's non-streamed responses: JSON bodies, error bodies and raw bodies.</summary>
internal static class EmulatorResponses
{
    /// <summary>Applies a reply's scripted headers; each replaces a header of the same name.</summary>
    public static void ApplyHeaders(HttpResponse response, EmulatorReply reply)
    {
        foreach (var group in reply.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            response.Headers[group.Key] = new StringValues(group.Select(h => h.Value).ToArray());
        }
    }

    /// <summary>
    /// Sends a status with a body: with a content length, or chunked when the reply compresses it. With
    /// <paramref name="paddingBytes"/>, the body (a JSON object) gets a leading <c>padding</c> field of that many
    /// filler characters, written piece by piece.
    /// </summary>
    public static async Task WriteBodyAsync(HttpResponse response, YuHuanEmulator emulator, int statusCode, string? contentType, ReadOnlyMemory<byte> body, EmulatorReply? reply, CancellationToken cancellationToken, long? paddingBytes = null)
    {
        response.StatusCode = statusCode;
        if (!string.IsNullOrEmpty(contentType))
        {
            response.ContentType = contentType;
        }

        var paddingPrefix = "{\"padding\":\""u8.ToArray();
        var paddingSuffix = "\","u8.ToArray();
        var padded = paddingBytes is not null && body.Length > 0;
        response.ContentLength = padded
            ? paddingPrefix.Length + paddingBytes!.Value + paddingSuffix.Length + body.Length - 1
            : body.Length;
        var writer = new ResponseBody(response, reply, emulator, cancellationToken);
        writer.Prepare();
        if (reply is not null)
        {
            ApplyHeaders(response, reply);
        }

        if (padded)
        {
            // {"padding":"xxx…", followed by the object without its opening brace.
            if (!await writer.WriteAsync(paddingPrefix, flush: false).ConfigureAwait(false)
                || !await writer.WriteFillerAsync(paddingBytes!.Value).ConfigureAwait(false)
                || !await writer.WriteAsync(paddingSuffix, flush: false).ConfigureAwait(false))
            {
                return;
            }

            body = body[1..];
        }

        if (body.Length > 0 && !await writer.WriteAsync(body, flush: false).ConfigureAwait(false))
        {
            return;
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Sends a scripted HTTP error reply in the error shape of <paramref name="protocol"/>.</summary>
    public static Task WriteHttpErrorAsync(HttpResponse response, YuHuanEmulator emulator, IProtocolRenderer protocol, EmulatorReply reply, CancellationToken cancellationToken)
    {
        if (reply.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var body = protocol.RenderError(reply.Error!, emulator.Ids);
        return WriteBodyAsync(response, emulator, reply.StatusCode, "application/json", body, reply, cancellationToken);
    }

    /// <summary>Sends a raw reply verbatim.</summary>
    public static Task WriteRawAsync(HttpResponse response, YuHuanEmulator emulator, EmulatorReply reply, CancellationToken cancellationToken) =>
        WriteBodyAsync(response, emulator, reply.StatusCode, reply.ContentType, Encoding.UTF8.GetBytes(reply.RawBody!), reply, cancellationToken);

    /// <summary>Sends an error of the emulator itself (unknown path, bad method, bad key, bad body) in the error
    /// shape of <paramref name="protocol"/>.</summary>
    public static Task WriteEmulatorErrorAsync(HttpResponse response, YuHuanEmulator emulator, IProtocolRenderer protocol, int statusCode, ReplyError error, CancellationToken cancellationToken) =>
        WriteBodyAsync(response, emulator, statusCode, "application/json", protocol.RenderError(error, emulator.Ids), reply: null, cancellationToken);
}
