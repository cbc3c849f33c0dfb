namespace YuHuan.Connector.Testing;

/// <summary>A scripted server-side web search: what was searched and what was found.</summary>
/// <param name="Query">The search query.</param>
/// <param name="Results">The results, in order.</param>
internal sealed record ReplyWebSearch(string Query, IReadOnlyList<ReplySearchResult> Results);
