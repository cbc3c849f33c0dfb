namespace YuHuan.Connector.Tests;

/// <summary>The registry's protocols named as the client names them in its messages.</summary>
public static partial class TestProtocols
{
    /// <summary>
    /// Gets the names of the protocols whose kit matches <paramref name="predicate"/>, in the registry's order, as the
    /// client lists them in a message ("A, B and C"), or <see langword="null"/> when no kit matches.
    /// </summary>
    public static string? NamesOf(Func<WireFormat, bool> predicate)
    {
        var names = Kits.Where(predicate).Select(kit => kit.Name).ToList();
        return names.Count switch
        {
            0 => null,
            1 => names[0],
            _ => string.Join(", ", names[..^1]) + " and " + names[^1],
        };
    }

    /// <summary>Gets the names of the protocols that carry <paramref name="tool"/>, as the client lists them (see <see cref="NamesOf"/>).</summary>
    public static string? Carrying(Microsoft.Extensions.AI.AITool tool) => NamesOf(kit => kit.Carries(tool));
}
