namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>The protocols every Semantic Kernel scenario runs over.</summary>
public static class LandedProtocols
{
    /// <summary>
    /// The protocols <see cref="YuHuanChatClient"/> implements today. Add a protocol here when it lands and every
    /// theory in this project runs against it; <see cref="Wire"/> already reads all three request formats.
    /// </summary>
    public static TheoryData<YuHuanProtocol> All => new() { YuHuanProtocol.ChatCompletions };
}
