namespace YuHuan.Connector.Testing;

/// <summary>One passage a scripted file search found.</summary>
/// <param name="FileId">The id of the file.</param>
/// <param name="Filename">The name of the file.</param>
/// <param name="Text">The passage.</param>
/// <param name="Score">The relevance score, 0 to 1.</param>
internal sealed record ReplyFileSearchResult(string FileId, string Filename, string Text, double Score);
