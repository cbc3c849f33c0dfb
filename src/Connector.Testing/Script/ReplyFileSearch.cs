namespace YuHuan.Connector.Testing;

/// <summary>A scripted server-side search of the caller's files: the queries and the passages found.</summary>
/// <param name="Queries">The queries searched for.</param>
/// <param name="Results">The passages found, in order.</param>
internal sealed record ReplyFileSearch(IReadOnlyList<string> Queries, IReadOnlyList<ReplyFileSearchResult> Results);
