namespace YuHuan.Connector.Testing;

/// <summary>A scripted server-side image generation.</summary>
/// <param name="ResultBase64">The final image, base64-encoded.</param>
/// <param name="PartialImages">The partial images streamed before it, base64-encoded, in order.</param>
/// <param name="RevisedPrompt">The prompt the server actually used, or <see langword="null"/> for none.</param>
internal sealed record ReplyImageGeneration(string ResultBase64, IReadOnlyList<string> PartialImages, string? RevisedPrompt);
