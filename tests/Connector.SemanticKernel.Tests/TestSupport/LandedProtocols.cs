namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>The protocols every Semantic Kernel scenario runs over.</summary>
public static class LandedProtocols
{
    /// <summary>
    /// The protocols <see cref="YuHuanChatClient"/> implements today, from the list every test project shares
    /// (tests/Shared/LandedProtocols.cs); <see cref="Wire"/> reads all three request formats.
    /// </summary>
    public static TheoryData<YuHuanProtocol> All => global::YuHuan.Connector.Tests.LandedProtocols.All;
}
