using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>The reasoning effort names of Chat Completions <c>reasoning_effort</c>, Responses <c>reasoning.effort</c> and Messages <c>output_config.effort</c> (which never gets <c>none</c>: that effort turns thinking off).</summary>
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
