using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>What a replay gave: the caller's result, the exchanges no request matched and the requests the emulator received.</summary>
/// <typeparam name="T">The type of the caller's result.</typeparam>
/// <param name="Result">The caller's result.</param>
/// <param name="Unplayed">The recorded exchanges that were not replayed.</param>
/// <param name="Requests">The requests the replaying emulator received.</param>
internal sealed record CassetteReplay<T>(T Result, IReadOnlyList<CassetteExchange> Unplayed, IReadOnlyList<RecordedRequest> Requests);
