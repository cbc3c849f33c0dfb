namespace YuHuan.Connector.Protocol;

/// <summary>A header a protocol sends with one call.</summary>
/// <param name="Name">The header's name.</param>
/// <param name="Value">The header's value.</param>
/// <param name="Appended">
/// How it meets the client's <see cref="YuHuanChatClientOptions.AdditionalHeaders"/>: <see langword="false"/> for a default the
/// client's header of the same name replaces (an API version); <see langword="true"/> for an item of a comma-separated list
/// the client's header keeps and gets this value appended to (a beta feature a tool needs).
/// </param>
internal readonly record struct WireHeader(string Name, string Value, bool Appended = false);
