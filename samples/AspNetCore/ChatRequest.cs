namespace YuHuan.Samples.AspNetCore;

/// <summary>The body of <c>POST /chat</c>.</summary>
/// <param name="Message">What the user asks; <see langword="null"/> when the body left it out.</param>
public sealed record ChatRequest(string? Message);
