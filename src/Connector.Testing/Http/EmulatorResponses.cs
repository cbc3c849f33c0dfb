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

    /// <summary>Sends a status with a body and a content length.</summary>
    public static async Task WriteBodyAsync(HttpResponse response, int statusCode, string? contentType, ReadOnlyMemory<byte> body, EmulatorReply? reply, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        if (!string.IsNullOrEmpty(contentType))
        {
            response.ContentType = contentType;
        }

        response.ContentLength = body.Length;
        if (reply is not null)
        {
            ApplyHeaders(response, reply);
        }

        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }

        await response.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Sends a scripted HTTP error reply: <c>{"error":{"message","type","code","param":null}}</c>.</summary>
    public static Task WriteHttpErrorAsync(HttpResponse response, EmulatorReply reply, CancellationToken cancellationToken)
    {
        var error = reply.Error!;
        if (reply.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var body = ErrorBody(error.Message, error.Type, error.Code, writeCodeAndParam: true);
        return WriteBodyAsync(response, reply.StatusCode, "application/json", body, reply, cancellationToken);
    }

    /// <summary>Sends a raw reply verbatim.</summary>
    public static Task WriteRawAsync(HttpResponse response, EmulatorReply reply, CancellationToken cancellationToken) =>
        WriteBodyAsync(response, reply.StatusCode, reply.ContentType, Encoding.UTF8.GetBytes(reply.RawBody!), reply, cancellationToken);

    /// <summary>Sends an error of the emulator itself (unknown path, bad method, bad key, bad body).</summary>
    public static Task WriteEmulatorErrorAsync(HttpResponse response, int statusCode, string message, string type, string? code, bool writeCodeAndParam, CancellationToken cancellationToken) =>
        WriteBodyAsync(response, statusCode, "application/json", ErrorBody(message, type, code, writeCodeAndParam), reply: null, cancellationToken);

    /// <summary>Renders <c>{"error":{"message","type"[,"code"][,"param":null]}}</c>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="type">The error type.</param>
    /// <param name="code">The code; written when not <see langword="null"/> or when <paramref name="writeCodeAndParam"/> is set.</param>
    /// <param name="writeCodeAndParam">Whether to write <c>code</c> (possibly null) and <c>"param": null</c>.</param>
    public static byte[] ErrorBody(string message, string type, string? code, bool writeCodeAndParam)
    {
        return EmulatorJson.Render(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("error");
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteString("type", type);
            if (code is not null)
            {
                w.WriteString("code", code);
            }
            else if (writeCodeAndParam)
            {
                w.WriteNull("code");
            }

            if (writeCodeAndParam)
            {
                w.WriteNull("param");
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
