namespace YuHuan.Connector.Testing;

/// <summary>What a <see cref="ICassetteMatcher"/> found: a match, or the first difference and how similar the requests are.</summary>
public sealed class CassetteComparison
{
    private CassetteComparison(string? difference, double similarity)
    {
        Difference = difference;
        Similarity = similarity;
    }

    /// <summary>Gets the comparison of two requests that match.</summary>
    public static CassetteComparison Match { get; } = new(null, 1);

    /// <summary>Gets a value indicating whether the requests match.</summary>
    public bool IsMatch => Difference is null;

    /// <summary>Gets the first difference, as an error message shows it, or <see langword="null"/> for a match.</summary>
    public string? Difference { get; }

    /// <summary>Gets how similar the requests are, from 0 (nothing in common) to 1 (a match); the nearest recorded request
    /// an error names is the one with the highest.</summary>
    public double Similarity { get; }

    /// <summary>Creates the comparison of two requests that differ.</summary>
    /// <param name="difference">The first difference, such as <c>body at $.messages[0].content: recorded "Hi", live "Hello"</c>.</param>
    /// <param name="similarity">How similar they are, from 0 to 1 (clamped; 1 is kept for a match).</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException"><paramref name="difference"/> is <see langword="null"/> or empty.</exception>
    public static CassetteComparison Mismatch(string difference, double similarity)
    {
        ArgumentException.ThrowIfNullOrEmpty(difference);
        return new CassetteComparison(difference, double.IsNaN(similarity) ? 0 : Math.Clamp(similarity, 0, 0.999));
    }
}
