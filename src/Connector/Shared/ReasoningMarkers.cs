namespace YuHuan.Connector.Shared;

/// <summary>Keys the mappers and request writers agree on in <see cref="Microsoft.Extensions.AI.AIContent.AdditionalProperties"/> of reasoning.</summary>
internal static class ReasoningMarkers
{
    /// <summary>
    /// Set to <see langword="true"/> on a <see cref="Microsoft.Extensions.AI.TextReasoningContent"/> whose
    /// <see cref="Microsoft.Extensions.AI.TextReasoningContent.ProtectedData"/> is redacted (encrypted) reasoning
    /// rather than the signature of reasoning text, so that it goes back as such.
    /// </summary>
    public const string Redacted = "redacted";
}
