using Microsoft.Extensions.Logging;

namespace YuHuan.Connector.Http;

/// <summary>The client's log messages. They carry no API key and no message content.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Debug, "Sending a {Protocol} request for model {Model} (streaming: {Streaming}) to {Host}, attempt {Attempt}.")]
    public static partial void RequestSent(ILogger logger, string protocol, string? model, bool streaming, string host, int attempt);

    [LoggerMessage(2, LogLevel.Warning, "The {Protocol} request failed with {Status} on attempt {Attempt}; retrying in {DelayMilliseconds} ms.")]
    public static partial void Retrying(ILogger logger, string protocol, string status, int attempt, long delayMilliseconds);

    [LoggerMessage(3, LogLevel.Warning, "The {Protocol} request failed with {Status} ({ErrorType}, code {ErrorCode}) after {Attempts} attempt(s).")]
    public static partial void RequestFailed(ILogger logger, string protocol, string status, string? errorType, string? errorCode, int attempts);
}
