namespace YuHuan.Connector.Tests;

/// <summary>
/// The one list of the protocols the client serves today, compiled into every test project (linked, not copied): each
/// protocol-neutral suite and theory runs once per entry. Add a protocol here when it lands; Connector.Tests then fails
/// until this list equals what the client accepts and every reliability and fuzz suite has a subclass for it.
/// </summary>
public static class LandedProtocols
{
    /// <summary>Gets the landed protocols, in their declaration order.</summary>
    public static IReadOnlyList<YuHuanProtocol> Protocols { get; } = [YuHuanProtocol.ChatCompletions, YuHuanProtocol.Messages, YuHuanProtocol.Responses];

    /// <summary>Gets the landed protocols as theory data (a new instance each time, as xunit asks).</summary>
    public static TheoryData<YuHuanProtocol> All => [.. Protocols];
}
