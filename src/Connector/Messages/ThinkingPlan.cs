namespace YuHuan.Connector.Messages;

/// <summary>The <c>thinking</c> and effort a Messages request maps from <c>ChatOptions.Reasoning</c>; the default writes neither.</summary>
/// <param name="Type">The thinking type: <c>adaptive</c>, <c>enabled</c> (budgeted) or <c>disabled</c>; <see langword="null"/> writes no <c>thinking</c>.</param>
/// <param name="Budget">The <c>budget_tokens</c> of budgeted thinking, else 0.</param>
/// <param name="Display">The <c>display</c> (<c>summarized</c> or <c>omitted</c>), or <see langword="null"/> for none.</param>
/// <param name="Effort">The <c>output_config.effort</c>, or <see langword="null"/> for none.</param>
internal readonly record struct ThinkingPlan(string? Type, int Budget = 0, string? Display = null, string? Effort = null);
