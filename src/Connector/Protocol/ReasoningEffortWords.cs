using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>A protocol's words for the levels of <see cref="ReasoningEffort"/>.</summary>
/// <param name="None">The word of <see cref="ReasoningEffort.None"/>, or <see langword="null"/> when the protocol turns reasoning off another way.</param>
/// <param name="Low">The word of <see cref="ReasoningEffort.Low"/>.</param>
/// <param name="Medium">The word of <see cref="ReasoningEffort.Medium"/>.</param>
/// <param name="High">The word of <see cref="ReasoningEffort.High"/>.</param>
/// <param name="ExtraHigh">The word of <see cref="ReasoningEffort.ExtraHigh"/>.</param>
internal sealed record ReasoningEffortWords(string? None, string Low, string Medium, string High, string ExtraHigh)
{
    /// <summary>Gets the word of <paramref name="effort"/>.</summary>
    /// <exception cref="ArgumentException">The effort is not one the library knows, or one the protocol has no word for.</exception>
    public string Of(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None when None is not null => None,
        ReasoningEffort.Low => Low,
        ReasoningEffort.Medium => Medium,
        ReasoningEffort.High => High,
        ReasoningEffort.ExtraHigh => ExtraHigh,
        _ => throw new ArgumentException($"Unknown reasoning effort '{effort}'.", "options"),
    };
}
