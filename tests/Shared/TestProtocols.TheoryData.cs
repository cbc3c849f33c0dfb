namespace YuHuan.Connector.Tests;

/// <summary>The registry as theory data: the protocols alone, those a kit matches, and the protocols crossed with other data.</summary>
public static partial class TestProtocols
{
    /// <summary>Gets the protocols under test, in the order of <see cref="Kits"/>.</summary>
    public static IReadOnlyList<YuHuanProtocol> Protocols => [.. Kits.Select(kit => kit.Protocol)];

    /// <summary>Gets every protocol under test as theory data (a new instance each time, as xunit asks).</summary>
    public static TheoryData<YuHuanProtocol> All => [.. Protocols];

    /// <summary>Gets every protocol with streaming on and off, as theory data.</summary>
    public static TheoryData<YuHuanProtocol, bool> AllStreamedOrNot => Cross(true, false);

    /// <summary>Gets the kit of <paramref name="protocol"/>.</summary>
    public static WireFormat Kit(YuHuanProtocol protocol) =>
        Kits.SingleOrDefault(kit => kit.Protocol == protocol) ?? throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "No kit is registered for the protocol.");

    /// <summary>Gets the protocols whose kit matches <paramref name="predicate"/>, as theory data.</summary>
    public static TheoryData<YuHuanProtocol> Where(Func<WireFormat, bool> predicate) => [.. Kits.Where(predicate).Select(kit => kit.Protocol)];

    /// <summary>Gets each protocol whose kit matches <paramref name="predicate"/> with each of <paramref name="values"/>.</summary>
    public static TheoryData<YuHuanProtocol, T> Where<T>(Func<WireFormat, bool> predicate, params T[] values)
    {
        var data = new TheoryData<YuHuanProtocol, T>();
        foreach (var kit in Kits.Where(predicate))
        {
            foreach (var value in values)
            {
                data.Add(kit.Protocol, value);
            }
        }

        return data;
    }

    /// <summary>Gets each protocol with each of <paramref name="values"/>.</summary>
    public static TheoryData<YuHuanProtocol, T> Cross<T>(params T[] values) => Where(_ => true, values);

    /// <summary>Gets each protocol with each row of <paramref name="rows"/>.</summary>
    public static TheoryData<YuHuanProtocol, T1, T2> Cross<T1, T2>(TheoryData<T1, T2> rows)
    {
        var data = new TheoryData<YuHuanProtocol, T1, T2>();
        foreach (var protocol in Protocols)
        {
            foreach (var row in rows)
            {
                data.Add(protocol, (T1)row[0], (T2)row[1]);
            }
        }

        return data;
    }

    /// <summary>Gets each protocol with each row of <paramref name="rows"/>.</summary>
    public static TheoryData<YuHuanProtocol, T1, T2, T3> Cross<T1, T2, T3>(TheoryData<T1, T2, T3> rows)
    {
        var data = new TheoryData<YuHuanProtocol, T1, T2, T3>();
        foreach (var protocol in Protocols)
        {
            foreach (var row in rows)
            {
                data.Add(protocol, (T1)row[0], (T2)row[1], (T3)row[2]);
            }
        }

        return data;
    }
}
