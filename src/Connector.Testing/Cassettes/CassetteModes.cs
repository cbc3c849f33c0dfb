namespace YuHuan.Connector.Testing;

/// <summary>Reads the mode a session runs in: the environment variable <see cref="Variable"/> when set, else the code's choice.</summary>
internal static class CassetteModes
{
    /// <summary>The environment variable that chooses the mode for every session: <c>record</c>, <c>replay</c> or <c>record-if-missing</c>.</summary>
    public const string Variable = "YUHUAN_CASSETTE_MODE";

    /// <summary>Resolves the mode: <paramref name="environmentValue"/> when it is set, else <paramref name="configured"/>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="environmentValue"/> names no mode.</exception>
    public static CassetteMode Resolve(string? environmentValue, CassetteMode configured)
    {
        if (string.IsNullOrWhiteSpace(environmentValue))
        {
            return configured;
        }

        var name = environmentValue.Trim().Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return name.ToUpperInvariant() switch
        {
            "RECORD" => CassetteMode.Record,
            "REPLAY" => CassetteMode.Replay,
            "RECORDIFMISSING" => CassetteMode.RecordIfMissing,
            _ => throw new InvalidOperationException(
                $"The environment variable {Variable} is '{environmentValue}'; use record, replay or record-if-missing, or leave it unset to use the mode set in code."),
        };
    }
}
