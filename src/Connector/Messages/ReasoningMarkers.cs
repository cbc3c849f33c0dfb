using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Messages;

/// <summary>
/// The library's own markers on <see cref="TextReasoningContent"/>, set by stream mappers and read back by request
/// writers, for reasoning a protocol must return in a form the shared content types do not express.
/// </summary>
internal static class ReasoningMarkers
{
    /// <summary>
    /// The <see cref="AIContent.AdditionalProperties"/> key (value <see langword="true"/>) marking reasoning that came
    /// from an Anthropic Messages <c>redacted_thinking</c> block: empty text, the block's encrypted <c>data</c> in
    /// <see cref="TextReasoningContent.ProtectedData"/>. A request sends it back as <c>redacted_thinking</c>.
    /// </summary>
    public const string Redacted = "redacted";

    /// <summary>
    /// Gets a value indicating whether <paramref name="content"/> carries the <see cref="Redacted"/> marker, either as
    /// a <see cref="bool"/> or, after the history went through JSON, as a <see cref="JsonElement"/>.
    /// </summary>
    public static bool IsRedacted(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(Redacted, out var value) == true
        && value is true or JsonElement { ValueKind: JsonValueKind.True };
}
