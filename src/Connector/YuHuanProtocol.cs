namespace YuHuan.Connector;

/// <summary>The wire protocol a <see cref="YuHuanChatClient"/> speaks to the gateway.</summary>
public enum YuHuanProtocol
{
    /// <summary>OpenAI-style Chat Completions, <c>POST chat/completions</c>.</summary>
    ChatCompletions,

    /// <summary>Anthropic Messages, <c>POST messages</c>.</summary>
    Messages,

    /// <summary>OpenAI Responses, <c>POST responses</c>; not served by this version yet (options naming it fail validation).</summary>
    Responses,
}
