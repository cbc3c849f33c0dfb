using System.Globalization;
using System.Text.Json;

namespace YuHuan.Connector.Shared;

/// <summary>
/// The one place that creates the exceptions for failures the client detects itself (see <see cref="YuHuanErrorTypes"/>).
/// <see cref="YuHuanApiException.StatusCode"/> is set only when the gateway answered with an HTTP error status, so every
/// exception created here has none.
/// </summary>
internal static class ClientErrors
{
    /// <summary>The stream of <paramref name="protocol"/> ended before <paramref name="terminalEvent"/>.</summary>
    public static YuHuanApiException IncompleteStream(string protocol, string terminalEvent) =>
        new($"The gateway's {protocol} stream ended without {terminalEvent}: the response was cut off.", null, YuHuanErrorTypes.IncompleteStream, null);

    /// <summary>A <paramref name="protocol"/> response that could not be read, with what is wrong.</summary>
    public static YuHuanApiException InvalidResponse(string protocol, string problem, Exception? inner = null) =>
        new($"The gateway sent a {protocol} response that could not be read: {problem}", null, YuHuanErrorTypes.InvalidResponse, null, null, inner);

    /// <summary>
    /// Wraps what reading an event's JSON threw: a <see cref="JsonException"/> (not JSON) or an
    /// <see cref="InvalidOperationException"/> (a field of the wrong type).
    /// </summary>
    public static YuHuanApiException Unreadable(string protocol, Exception ex) => ex is JsonException
        ? InvalidResponse(protocol, $"an event is not valid JSON ({ex.Message})", ex)
        : InvalidResponse(protocol, $"an event has a field of the wrong type ({ex.Message})", ex);

    /// <summary>A body that could not be decompressed.</summary>
    public static YuHuanApiException Undecodable(Exception inner) =>
        new("The gateway's response could not be decompressed: " + inner.Message, null, YuHuanErrorTypes.InvalidResponse, null, null, inner);

    /// <summary><paramref name="what"/> reached <paramref name="limit"/> (bytes or calls, as <paramref name="what"/> says).</summary>
    public static YuHuanApiException TooLarge(string what, long limit) =>
        new($"{what} reached {limit.ToString(CultureInfo.InvariantCulture)}; the response was abandoned.", null, YuHuanErrorTypes.ResponseTooLarge, null);

    /// <summary>The network timeout elapsed while waiting for the gateway.</summary>
    public static YuHuanApiException TimedOut(TimeSpan timeout, Exception? inner) =>
        new(
            $"The gateway sent nothing for {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (YuHuanChatClientOptions.NetworkTimeout).",
            null,
            YuHuanErrorTypes.Timeout,
            null,
            null,
            new TimeoutException("The network timeout elapsed.", inner));

    /// <summary>The <see cref="HttpClient.Timeout"/> of a caller's client elapsed.</summary>
    public static YuHuanApiException HttpClientTimedOut(Exception inner) =>
        new("The request to the gateway timed out (HttpClient.Timeout).", null, YuHuanErrorTypes.Timeout, null, null, new TimeoutException("HttpClient.Timeout elapsed.", inner));

    /// <summary>The gateway could not be reached at <paramref name="authority"/>, in <paramref name="attempts"/> attempts over <paramref name="elapsed"/>.</summary>
    public static YuHuanApiException Unreachable(string authority, Exception inner, int attempts, TimeSpan elapsed) =>
        new(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Could not reach the gateway at {authority} after {attempts} {(attempts == 1 ? "attempt" : "attempts")} over {elapsed.TotalSeconds:0.0#} s: {inner.Message}"),
            null,
            YuHuanErrorTypes.ConnectionError,
            null,
            null,
            inner);

    /// <summary>
    /// Something in the HTTP pipeline other than the network failed: a handler the caller added (a resilience handler's
    /// <c>TimeoutRejectedException</c>, a bug in a handler) or a cancellation that was not the caller's.
    /// <paramref name="inner"/> is kept as the inner exception. A timeout (see <see cref="IsTimeout"/>) is reported as
    /// <see cref="YuHuanErrorTypes.Timeout"/>, anything else as <see cref="YuHuanErrorTypes.ConnectionError"/>.
    /// </summary>
    /// <param name="inner">What the pipeline threw.</param>
    /// <param name="authority">The gateway's authority when the failure came before the response, or <see langword="null"/> while its body was read.</param>
    public static YuHuanApiException PipelineFailed(Exception inner, string? authority = null)
    {
        var where = authority is null ? "while the gateway's response was read" : "on the way to the gateway at " + authority;
        var thrown = inner.GetType().Name;
        return IsTimeout(inner)
            ? new($"The request timed out in the HTTP pipeline {where} ({thrown}): {inner.Message}", null, YuHuanErrorTypes.Timeout, null, null, inner)
            : new($"The HTTP pipeline failed {where} ({thrown}): {inner.Message}", null, YuHuanErrorTypes.ConnectionError, null, null, inner);
    }

    /// <summary>
    /// Whether <paramref name="ex"/> says that time ran out: a <see cref="TimeoutException"/>, an
    /// <see cref="OperationCanceledException"/> (the caller's own cancellation never gets here), or an exception whose type
    /// name ends with <c>TimeoutRejectedException</c> (Polly's, thrown by <c>AddStandardResilienceHandler</c>; matched by name
    /// so the library does not depend on Polly).
    /// </summary>
    public static bool IsTimeout(Exception ex) =>
        ex is TimeoutException or OperationCanceledException || ex.GetType().Name.EndsWith("TimeoutRejectedException", StringComparison.Ordinal);

    /// <summary>The connection was lost while the response was being read.</summary>
    public static YuHuanApiException ConnectionLost(Exception inner) =>
        new("The connection to the gateway was lost before the response was complete: " + inner.Message, null, YuHuanErrorTypes.ConnectionError, null, null, inner);
}
