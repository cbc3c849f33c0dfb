namespace YuHuan.Connector.Shared;

/// <summary>
/// The names one protocol gives the usage counts Microsoft.Extensions.AI names (see <see cref="UsageReader"/>): input,
/// output and total at the top of the usage object; cached input and reasoning at any depth (they sit in detail objects).
/// </summary>
/// <param name="Input">The input token count's name.</param>
/// <param name="Output">The output token count's name.</param>
/// <param name="Total">The total's name, or <see langword="null"/> when the protocol sends none.</param>
/// <param name="CachedInput">The cached input count's name.</param>
/// <param name="Reasoning">The reasoning token count's name, or <see langword="null"/> when the protocol sends none.</param>
internal sealed record UsageFields(string Input, string Output, string? Total, string CachedInput, string? Reasoning);
