namespace YuHuan.Connector.Testing;

/// <summary>What a <see cref="CassetteSession"/> does with its cassette file.</summary>
/// <remarks>The environment variable <c>YUHUAN_CASSETTE_MODE</c> (<c>record</c>, <c>replay</c> or <c>record-if-missing</c>),
/// when set, takes precedence over <see cref="CassetteOptions.Mode"/>, so a developer can refresh cassettes and CI can insist
/// on replay without a change of code.</remarks>
public enum CassetteMode
{
    /// <summary>Replays the cassette when its file exists; otherwise records a new one against the configured gateway.</summary>
    RecordIfMissing,

    /// <summary>Replays the cassette from a local emulator; a missing file is an error, and nothing leaves the machine.</summary>
    Replay,

    /// <summary>Sends every request to the configured gateway and writes what it answers to the cassette, replacing the file.</summary>
    Record,
}
