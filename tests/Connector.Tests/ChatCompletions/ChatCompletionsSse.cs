namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Builds Chat Completions stream chunks for replay tests; <see cref="TestSupport.Sse"/> frames them.</summary>
internal static class ChatCompletionsSse
{
    /// <summary>A chunk with the usual envelope around one choice.</summary>
    public static string Chunk(string delta, string? finishReason = null, string id = "chatcmpl-1", string model = "m-1") =>
        $$"""{"id":"{{id}}","object":"chat.completion.chunk","created":1700000000,"model":"{{model}}","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finishReason is null ? "null" : "\"" + finishReason + "\"")}}}]}""";
}
