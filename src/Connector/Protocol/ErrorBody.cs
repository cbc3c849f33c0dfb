namespace YuHuan.Connector.Protocol;

/// <summary>What an error body says, read by the protocol whose shape it has.</summary>
/// <param name="Message">The message, or <see langword="null"/>.</param>
/// <param name="Type">The error type, or <see langword="null"/>.</param>
/// <param name="Code">The error code, or <see langword="null"/>.</param>
internal readonly record struct ErrorBody(string? Message, string? Type, string? Code);
