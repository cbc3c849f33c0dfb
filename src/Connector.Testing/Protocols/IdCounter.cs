using System.Globalization;

namespace YuHuan.Connector.Testing;

/// <summary>Hands out ids made of a prefix and a counter of that prefix: <c>msg_emu_1</c>, <c>msg_emu_2</c>, <c>toolu_emu_1</c>, ….</summary>
/// <remarks>Thread-safe: one counter serves every request of an emulator.</remarks>
internal sealed class IdCounter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Returns the next id of <paramref name="prefix"/>, counting from 1.</summary>
    public string Next(string prefix)
    {
        int count;
        lock (_gate)
        {
            count = _counts.TryGetValue(prefix, out var last) ? last + 1 : 1;
            _counts[prefix] = count;
        }

        return prefix + count.ToString(CultureInfo.InvariantCulture);
    }
}
