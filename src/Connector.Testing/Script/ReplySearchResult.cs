namespace YuHuan.Connector.Testing;

/// <summary>One result of a scripted web search.</summary>
/// <param name="Url">The page address.</param>
/// <param name="Title">The page title.</param>
/// <param name="EncryptedContent">The opaque page content a later turn must carry back, or <see langword="null"/> to send none.</param>
internal sealed record ReplySearchResult(string Url, string Title, string? EncryptedContent);
