namespace YuHuan.Connector.Testing;

/// <summary>A citation a scripted text part carries.</summary>
/// <param name="Url">The address of the cited page.</param>
/// <param name="Title">The title of the cited page.</param>
/// <param name="CitedText">The passage of the page the text relies on.</param>
/// <param name="StartIndex">The first character of the text part the citation covers, or <see langword="null"/> for the part's start.</param>
/// <param name="EndIndex">The character after the last one the citation covers, or <see langword="null"/> for the part's end.</param>
internal sealed record ReplyCitation(string Url, string Title, string CitedText, int? StartIndex, int? EndIndex)
{
    /// <summary>Gets the first character covered.</summary>
    public int Start => StartIndex ?? 0;

    /// <summary>Gets the character after the last one covered in a text of <paramref name="length"/> characters.</summary>
    public int End(int length) => EndIndex ?? length;
}
