namespace YuHuan.Connector.Http;

/// <summary>The error of a protocol without background responses that was handed a continuation token.</summary>
internal static class NoBackgroundResponses
{
    /// <summary>Creates the error for the protocol named <paramref name="protocol"/>.</summary>
    public static ArgumentException For(string protocol) => new(
        $"ChatOptions.ContinuationToken resumes background responses, which only the Responses protocol has; this client speaks {protocol}.",
        "options");
}
