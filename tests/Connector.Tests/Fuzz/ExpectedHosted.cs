namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>What a client must make of one hosted-tool or unknown part in a protocol that renders it.</summary>
/// <param name="Calls">The number of hosted tool call contents (web search, code interpreter, MCP, image generation calls).</param>
/// <param name="Results">The number of hosted tool result contents (partial images included).</param>
/// <param name="Approvals">The number of tool approval requests.</param>
/// <param name="KeptTypes">The <c>type</c> of each kept block or item (a content whose raw representation is its JSON), in order.</param>
internal sealed record ExpectedHosted(int Calls, int Results, int Approvals, IReadOnlyList<string> KeptTypes)
{
    /// <summary>A part the protocol leaves out: nothing comes of it.</summary>
    public static readonly ExpectedHosted None = new(0, 0, 0, []);
}
