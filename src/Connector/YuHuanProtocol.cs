namespace YuHuan.Connector;

/// <summary>The wire protocol a <see cref="YuHuanChatClient"/> speaks to the gateway.</summary>
public enum YuHuanProtocol
{
    /// <summary>OpenAI-style Chat Completions, <c>POST chat/completions</c>.</summary>
    ChatCompletions,

    /// <summary>Anthropic Messages, <c>POST messages</c>.</summary>
    Messages,

    /// <summary>OpenAI Responses, <c>POST responses</c>, with stored conversations (<see cref="Microsoft.Extensions.AI.ChatOptions.ConversationId"/>) and background responses that resume.</summary>
    Responses,
}
