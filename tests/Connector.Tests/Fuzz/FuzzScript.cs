using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>A generated, valid reply script and what a client must make of it.</summary>
/// <param name="Reply">The protocol-neutral script the emulator's renderer turns into wire events.</param>
/// <param name="Text">The answer text, all parts concatenated.</param>
/// <param name="Reasoning">The reasoning text, all parts concatenated.</param>
/// <param name="ProtectedData">The signatures and redacted reasoning, in order: each the protected data of one reasoning piece.</param>
/// <param name="Calls">The tool calls, in order.</param>
/// <param name="Usage">The usage counts, or <see langword="null"/> when none is sent.</param>
/// <param name="FinishReason">The finish reason on the wire, or <see langword="null"/> when none is sent.</param>
internal sealed record FuzzScript(
    EmulatorReply Reply,
    string Text,
    string Reasoning,
    IReadOnlyList<string> ProtectedData,
    IReadOnlyList<ExpectedCall> Calls,
    FuzzUsage? Usage,
    string? FinishReason)
{
    /// <summary>Gets the hosted tool calls, results, approval requests and kept blocks or items the client must report, as the protocol renders them.</summary>
    public ExpectedHosted Hosted { get; init; } = ExpectedHosted.None;

    /// <summary>Gets the address of each citation, in order, as the protocol renders them.</summary>
    public IReadOnlyList<string> CitationUrls { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"text={Text.Length} chars, reasoning={Reasoning.Length} chars, protected={ProtectedData.Count}, calls={Calls.Count}, hosted={Hosted.Calls}/{Hosted.Results}/{Hosted.Approvals}/[{string.Join(",", Hosted.KeptTypes)}], citations={CitationUrls.Count}, usage={Usage is not null}, finish={FinishReason ?? "(none)"}, eol={Reply.LineEnding.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}, comments={Reply.EmitComments}";
}
