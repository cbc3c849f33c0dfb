namespace YuHuan.Connector;

/// <summary>
/// The one reading of a protocol's name, used by configuration binding and <see cref="YuHuanChatClientOptions.ParseProtocol"/>:
/// the <see cref="YuHuanProtocol"/> member's name, with case ignored, and words joined by <c>-</c>, <c>_</c>, a space or
/// nothing (<c>chat-completions</c>, <c>chat_completions</c>, <c>ChatCompletions</c>). The names are those of the served
/// protocols (<see cref="Protocols.All"/>).
/// </summary>
internal static class ProtocolNames
{
    /// <summary>Gets the spellings to show a user, in the registration's order.</summary>
    public static string Accepted { get; } =
        List(p => Spelled(p) + (p == default(YuHuanProtocol) ? " (the default)" : string.Empty), "or")
        + " (any case; words joined by '-', '_' or nothing, as in " + Protocols.All[0].Id + ")";

    /// <summary>Reads a protocol's name.</summary>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a served protocol.</returns>
    public static bool TryParse(string? name, out YuHuanProtocol protocol)
    {
        var key = Key(name);
        foreach (var registration in Protocols.All)
        {
            if (key.Length > 0 && key == Key(registration.Id.ToString()))
            {
                protocol = registration.Id;
                return true;
            }
        }

        protocol = default;
        return false;
    }

    /// <summary>Lists the served protocols as <paramref name="format"/> shows each: "a, b or c".</summary>
    public static string List(Func<YuHuanProtocol, string> format, string conjunction) =>
        Protocols.Join([.. Protocols.All.Select(p => format(p.Id))], conjunction);

    /// <summary>Spells a protocol's member name in lower case, words joined by <c>-</c>: <c>chat-completions</c>.</summary>
    private static string Spelled(YuHuanProtocol protocol)
    {
        var name = protocol.ToString();
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    private static string Key(string? name) =>
        name is null ? string.Empty : string.Concat(name.Trim().Where(c => c is not ('-' or '_' or ' '))).ToUpperInvariant();
}
