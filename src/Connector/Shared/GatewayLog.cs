using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace YuHuan.Connector.Shared;

/// <summary>
/// The client's log messages. They carry no API key and no message content, and no server text except the error type
/// and code, scrubbed of the key.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Debug, "Sending a {Protocol} request for model {Model} (streaming: {Streaming}) to {Host}, attempt {Attempt}.")]
    public static partial void RequestSent(ILogger logger, string protocol, string? model, bool streaming, string host, int attempt);

    [LoggerMessage(2, LogLevel.Warning, "The {Protocol} request failed with {Status} on attempt {Attempt}; retrying in {DelayMilliseconds} ms.")]
    public static partial void Retrying(ILogger logger, string protocol, string status, int attempt, long delayMilliseconds);

    [LoggerMessage(5, LogLevel.Debug, "A {Content} in message {Message} came from the {Source} protocol and cannot be carried by {Protocol}; it is left out of the request.")]
    public static partial void ContentLeftOut(ILogger logger, string content, int message, string source, string protocol);

    [LoggerMessage(6, LogLevel.Information, "ChatOptions.{Option} is not sent: the {Protocol} protocol has no field for it. Logged once per client.")]
    public static partial void OptionNotSent(ILogger logger, string option, string protocol);

    [LoggerMessage(7, LogLevel.Information, "ChatOptions.{Option} is not sent: in the {Protocol} protocol it needs {Needed}. Logged once per client.")]
    public static partial void OptionNotSentWithout(ILogger logger, string option, string protocol, string needed);

    [LoggerMessage(4, LogLevel.Warning, "The {Protocol} background stream broke off; resuming it after its last event in {DelayMilliseconds} ms (attempt {Attempt} without progress).")]
    public static partial void Resuming(ILogger logger, string protocol, int attempt, long delayMilliseconds);

    /// <summary>
    /// Logs that a request failed for good: where it went, how often it was tried and what failed (status, error type and
    /// code, all scrubbed of the key). The server's message is not logged: the exception carries it.
    /// </summary>
    public static void RequestFailed(ILogger logger, string protocol, string host, int attempts, YuHuanApiException failure, SecretScrubber scrubber)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            RequestFailed(logger, protocol, host, attempts, Describe(failure, scrubber));
        }
    }

    [LoggerMessage(3, LogLevel.Warning, "The {Protocol} request to {Host} failed after {Attempts} attempt(s): {Failure}.")]
    private static partial void RequestFailed(ILogger logger, string protocol, string host, int attempts, string failure);

    /// <summary>Says what failed: <c>HTTP 401 authentication_error (code invalid_api_key)</c>, or <c>connection_error</c>.</summary>
    private static string Describe(YuHuanApiException failure, SecretScrubber scrubber)
    {
        var text = new StringBuilder();
        if (failure.StatusCode is { } status)
        {
            text.Append("HTTP ").Append(status.ToString(CultureInfo.InvariantCulture));
        }

        if (scrubber.Scrub(failure.ErrorType) is { Length: > 0 } type)
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append(type);
        }

        if (scrubber.Scrub(failure.ErrorCode) is { Length: > 0 } code)
        {
            text.Append(" (code ").Append(code).Append(')');
        }

        return text.Length > 0 ? text.ToString() : "an error";
    }
}
