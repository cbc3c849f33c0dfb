namespace YuHuan.Connector.Testing;

/// <summary>An error a reply delivers, as an HTTP error body or inside a stream.</summary>
/// <param name="Message">The human-readable message.</param>
/// <param name="Type">The error type, such as <c>server_error</c>.</param>
/// <param name="Code">The machine-readable code, or <see langword="null"/>.</param>
/// <param name="Param">The request field the error is about, or <see langword="null"/>; only OpenAI-style error bodies carry it.</param>
internal sealed record ReplyError(string Message, string Type, string? Code, string? Param = null);
