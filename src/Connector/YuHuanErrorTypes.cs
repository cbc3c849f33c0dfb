namespace YuHuan.Connector;

/// <summary>
/// The <see cref="YuHuanApiException.ErrorType"/> values the client reports for failures it detects itself. Any other
/// value is the error type the gateway reported (such as <c>rate_limit_error</c> or <c>overloaded_error</c>), or, for an
/// HTTP status without one, a type derived from the status (<c>authentication_error</c> for 401, <c>server_error</c> for 5xx).
/// </summary>
public static class YuHuanErrorTypes
{
    /// <summary>The stream ended before the protocol's terminal event: the response was cut off.</summary>
    public const string IncompleteStream = "incomplete_stream";

    /// <summary>The response could not be read as its protocol requires (invalid JSON, a field of the wrong type, a body that cannot be decompressed).</summary>
    public const string InvalidResponse = "invalid_response";

    /// <summary>The response, one of its lines or events, or the tool calls in it exceeded a limit of the client; it was abandoned.</summary>
    public const string ResponseTooLarge = "response_too_large";

    /// <summary>
    /// The gateway sent nothing for longer than the network timeout, the <see cref="HttpClient"/>'s own timeout elapsed, or
    /// a handler in the HTTP pipeline gave up on time (a <see cref="TimeoutException"/>, a resilience handler's
    /// <c>TimeoutRejectedException</c>, a cancellation that was not the caller's); the original is the inner exception.
    /// </summary>
    public const string Timeout = "timeout";

    /// <summary>
    /// The gateway could not be reached (the message says after how many attempts over how long), the connection was lost
    /// before the response was complete, or a handler in the HTTP pipeline threw an exception of its own (the inner exception).
    /// </summary>
    public const string ConnectionError = "connection_error";
}
