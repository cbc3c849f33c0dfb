namespace YuHuan.Connector.Testing;

/// <summary>A scripted server-side code execution: the code and what running it printed.</summary>
/// <param name="Code">The code (or, as a bash command, the command line).</param>
/// <param name="Stdout">What the run wrote to standard output.</param>
/// <param name="Stderr">What the run wrote to standard error.</param>
/// <param name="ReturnCode">The exit code of the run.</param>
/// <param name="IsBash">Whether the code is a bash command line rather than Python code.</param>
/// <param name="ImageUrls">The addresses of images the run produced.</param>
internal sealed record ReplyCodeExecution(string Code, string Stdout, string Stderr, int ReturnCode, bool IsBash, IReadOnlyList<string> ImageUrls);
