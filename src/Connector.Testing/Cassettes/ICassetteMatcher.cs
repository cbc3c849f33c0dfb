namespace YuHuan.Connector.Testing;

/// <summary>Decides whether a request a replay received is a recorded one, and how close it comes when it is not.</summary>
/// <remarks>Set one in <see cref="CassetteOptions.Matcher"/> to replace <see cref="CassetteMatcher"/>. It is called from
/// the emulator's request threads, for every recorded request not yet replayed; it must be thread-safe.</remarks>
public interface ICassetteMatcher
{
    /// <summary>Compares a recorded request with a live one.</summary>
    /// <param name="recorded">The request in the cassette, secrets scrubbed.</param>
    /// <param name="live">The request the replay received, secret fields and configured secrets scrubbed as the recording's were.</param>
    /// <returns><see cref="CassetteComparison.Match"/>, or the first difference with how similar the two are.</returns>
    CassetteComparison Compare(CassetteRequest recorded, CassetteRequest live);
}
