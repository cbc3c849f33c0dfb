using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Responses;

namespace YuHuan.Connector;

/// <summary>The protocols this version serves, and the one place that creates them.</summary>
internal static class Protocols
{
    /// <summary>Gets a value indicating whether this version of the library serves <paramref name="protocol"/>.</summary>
    public static bool IsServed(YuHuanProtocol protocol) => protocol is YuHuanProtocol.ChatCompletions or YuHuanProtocol.Messages or YuHuanProtocol.Responses;

    /// <summary>Creates the protocol the (validated) options name.</summary>
    public static IChatProtocol Create(YuHuanChatClientOptions options) => options.Protocol switch
    {
        YuHuanProtocol.ChatCompletions => new ChatCompletionsProtocol(options.SplitThinkTags),
        YuHuanProtocol.Messages => new MessagesProtocol(),
        YuHuanProtocol.Responses => new ResponsesProtocol(),
        _ => throw new ArgumentException(OptionsValidator.Setting(options, nameof(options.Protocol)) + " names a protocol this version does not serve.", nameof(options)),
    };
}
