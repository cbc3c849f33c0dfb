namespace YuHuan.Connector.Testing;

/// <summary>One piece of a response body as it arrived: its bytes, and when, counted from the start of the request.</summary>
/// <param name="At">When the piece arrived, from the start of the request.</param>
/// <param name="Data">The bytes.</param>
internal readonly record struct CassetteChunk(TimeSpan At, byte[] Data);
