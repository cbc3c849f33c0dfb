namespace YuHuan.Connector;

/// <summary>
/// The one reading of a protocol's name, used by configuration binding and <see cref="YuHuanChatClientOptions.ParseProtocol"/>:
/// case is ignored, and words may be joined by <c>-</c>, <c>_</c>, a space or nothing (<c>chat-completions</c>,
/// <c>chat_completions</c>, <c>ChatCompletions</c>).
/// </summary>
internal static class ProtocolNames
{
    /// <summary>The spellings to show a user, in the enum's order.</summary>
    public const string Accepted = "chat-completions (the default), messages or responses (any case; words joined by '-', '_' or nothing, as in ChatCompletions)";

    /// <summary>Reads a protocol's name.</summary>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a protocol.</returns>
    public static bool TryParse(string? name, out YuHuanProtocol protocol)
    {
        var key = name is null ? string.Empty : string.Concat(name.Trim().Where(c => c is not ('-' or '_' or ' '))).ToUpperInvariant();
        (var found, protocol) = key switch
        {
            "CHATCOMPLETIONS" => (true, YuHuanProtocol.ChatCompletions),
            "MESSAGES" => (true, YuHuanProtocol.Messages),
            "RESPONSES" => (true, YuHuanProtocol.Responses),
            _ => (false, default),
        };
        return found;
    }
}
