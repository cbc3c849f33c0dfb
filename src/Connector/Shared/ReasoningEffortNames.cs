using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>The reasoning effort names of the OpenAI-style protocols (Chat Completions <c>reasoning_effort</c>, Responses <c>reasoning.effort</c>).</summary>
internal static class ReasoningEffortNames
{
    /// <summary>Gets the wire name of <paramref name="effort"/>: <c>none</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>xhigh</c>.</summary>
    /// <exception cref="ArgumentException">The effort is not one the library knows.</exception>
    public static string Of(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        ReasoningEffort.ExtraHigh => "xhigh",
        _ => throw new ArgumentException($"Unknown reasoning effort '{effort}'.", "options"),
    };
}
