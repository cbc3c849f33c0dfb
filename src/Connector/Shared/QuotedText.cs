namespace YuHuan.Connector.Shared;

/// <summary>How much server text an exception quotes, and how a cut is marked (so that a key cut in two is still found and scrubbed).</summary>
internal static class QuotedText
{
    /// <summary>The longest server text (message, error type, error code) quoted in an exception.</summary>
    public const int MaxQuotedLength = 1024;

    /// <summary>What follows server text that was cut at <see cref="MaxQuotedLength"/>.</summary>
    public const string TruncationMark = "… (truncated)";

    /// <summary>Returns <paramref name="text"/>, cut at <see cref="MaxQuotedLength"/> characters and marked when longer.</summary>
    public static string Truncate(string text) =>
        text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), TruncationMark);

    /// <summary>Returns <see cref="Truncate"/> of <paramref name="text"/>, or <see langword="null"/> for none.</summary>
    public static string? TruncateOrNull(string? text) => text is null ? null : Truncate(text);
}
