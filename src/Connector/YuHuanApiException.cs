namespace YuHuan.Connector;

/// <summary>
/// A failure reported by, or on the way to, the YuHuan gateway: an HTTP error status, an error event
/// inside a stream, a stream cut off before its terminal event, or a response that could not be read.
/// </summary>
/// <remarks>
/// <para><see cref="ErrorType"/> says what happened: one of <see cref="YuHuanErrorTypes"/> for failures the client
/// detected itself, otherwise the type the gateway reported. <see cref="StatusCode"/> is set only when the gateway
/// answered with an HTTP error status.</para>
/// <para>The message never contains the API key. Only the library creates these exceptions.</para>
/// </remarks>
public sealed class YuHuanApiException : Exception
{
    internal YuHuanApiException(string message, int? statusCode, string? errorType, string? errorCode, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
        ErrorCode = errorCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the HTTP status code of an error response, or <see langword="null"/> when the failure came inside a successful response or before any response.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets what kind of failure this is: one of <see cref="YuHuanErrorTypes"/>, or the error type the gateway reported, such as <c>rate_limit_error</c>.</summary>
    public string? ErrorType { get; }

    /// <summary>Gets the error code the gateway reported, if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets how long the gateway asked the caller to wait before retrying (from <c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
