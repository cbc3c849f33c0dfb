namespace YuHuan.Connector;

/// <summary>
/// A failure reported by, or on the way to, the YuHuan gateway: an HTTP error status, an error event
/// inside a stream, a stream cut off before its terminal event, or a response that could not be read.
/// </summary>
/// <remarks>The message never contains the API key.</remarks>
public class YuHuanApiException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="YuHuanApiException"/> class.</summary>
    public YuHuanApiException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="YuHuanApiException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public YuHuanApiException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="YuHuanApiException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public YuHuanApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="YuHuanApiException"/> class with the details the gateway reported.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="statusCode">The HTTP status code, or <see langword="null"/> when the failure came inside a successful stream.</param>
    /// <param name="errorType">The error type the gateway reported, such as <c>rate_limit_error</c>.</param>
    /// <param name="errorCode">The error code the gateway reported, if any.</param>
    /// <param name="retryAfter">How long the gateway asked the caller to wait before retrying, if it said.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public YuHuanApiException(string message, int? statusCode, string? errorType, string? errorCode, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
        ErrorCode = errorCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the HTTP status code, or <see langword="null"/> when the failure came inside a 200 stream or before any response.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the error type the gateway reported, such as <c>server_error</c> or <c>rate_limit_error</c>.</summary>
    public string? ErrorType { get; }

    /// <summary>Gets the error code the gateway reported, if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets how long the gateway asked the caller to wait before retrying (from <c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
