namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>A tool call a generated script makes.</summary>
/// <param name="CallId">The id sent, or <see langword="null"/> when the call is sent without one.</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments, a JSON object.</param>
internal sealed record ExpectedCall(string? CallId, string Name, string ArgumentsJson);
