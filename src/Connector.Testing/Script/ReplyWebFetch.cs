namespace YuHuan.Connector.Testing;

/// <summary>A scripted server-side fetch of one web page.</summary>
/// <param name="Url">The page address.</param>
/// <param name="Title">The page title.</param>
/// <param name="Text">The page's text.</param>
internal sealed record ReplyWebFetch(string Url, string Title, string Text);
