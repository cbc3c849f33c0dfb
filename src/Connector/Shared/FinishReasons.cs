using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>The part of mapping a finish reason that knows no protocol: a blank reason is none, an unknown one is kept as it is.</summary>
internal static class FinishReasons
{
    /// <summary>Returns the reason a protocol's own vocabulary did not know: <see langword="null"/> for a blank one, else the reason as it is.</summary>
    public static ChatFinishReason? Other(string? reason) =>
        // ChatFinishReason rejects blank values: a server's " " must not escape as an ArgumentException.
        string.IsNullOrWhiteSpace(reason) ? null : new ChatFinishReason(reason);
}
