using Microsoft.Extensions.AI;
using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Responses;

namespace YuHuan.Connector;

/// <summary>The protocols this version serves: the one place a protocol is registered, and what is derived from the list.</summary>
internal static class Protocols
{
    /// <summary>Gets the served protocols, in the order messages list them.</summary>
    public static IReadOnlyList<ProtocolRegistration> All { get; } =
    [
        new(YuHuanProtocol.ChatCompletions, options => new ChatCompletionsProtocol(options.SplitThinkTags)),
        new(YuHuanProtocol.Messages, options => new MessagesProtocol(options.UseThinkingBudget)),
        new(YuHuanProtocol.Responses, _ => new ResponsesProtocol()),
    ];

    /// <summary>Gets the registration of <paramref name="protocol"/>, or <see langword="null"/> when this version does not serve it.</summary>
    public static ProtocolRegistration? Find(YuHuanProtocol protocol)
    {
        foreach (var registration in All)
        {
            if (registration.Id == protocol)
            {
                return registration;
            }
        }

        return null;
    }

    /// <summary>Gets a value indicating whether this version of the library serves <paramref name="protocol"/>.</summary>
    public static bool IsServed(YuHuanProtocol protocol) => Find(protocol) is not null;

    /// <summary>Creates the protocol the (validated) options name.</summary>
    public static IChatProtocol Create(YuHuanChatClientOptions options) =>
        Find(options.Protocol)?.Create(options)
        ?? throw new ArgumentException(OptionsValidator.Setting(options, nameof(options.Protocol)) + " names a protocol this version does not serve.", nameof(options));

    /// <summary>Gets the names of the protocols that carry <paramref name="tool"/>, for messages ("Messages and Responses"), or <see langword="null"/> when none does.</summary>
    public static string? Carrying(AITool tool) => NamesOf(p => p.Supports(tool));

    /// <summary>Gets the names of the protocols <paramref name="predicate"/> holds for, for messages ("Messages and Responses"), or <see langword="null"/> when it holds for none.</summary>
    public static string? NamesOf(Func<IChatProtocol, bool> predicate)
    {
        var names = All.Where(p => predicate(p.Prototype)).Select(p => p.Name).ToList();
        return names.Count == 0 ? null : Join(names, "and");
    }

    /// <summary>Joins names for a message: "a", "a or b", "a, b or c" (with <paramref name="conjunction"/> "or").</summary>
    public static string Join(IReadOnlyList<string> names, string conjunction) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " " + conjunction + " " + names[^1];
}
