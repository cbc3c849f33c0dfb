namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The usage a generated script reports, protocol-neutral (see <see cref="Testing.EmulatorReply.WithUsage"/>).</summary>
/// <param name="Input">Input tokens in total, cached and cache-creation tokens included.</param>
/// <param name="Output">Output tokens, reasoning included.</param>
/// <param name="Cached">Input tokens read from the prompt cache.</param>
/// <param name="Reasoning">Output tokens spent on reasoning.</param>
/// <param name="CacheCreation">Input tokens written to the prompt cache.</param>
internal sealed record FuzzUsage(int Input, int Output, int Cached, int Reasoning, int CacheCreation);
