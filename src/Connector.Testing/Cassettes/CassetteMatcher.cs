using System.Text;

namespace YuHuan.Connector.Testing;

/// <summary>
/// The default <see cref="ICassetteMatcher"/>: the method (in any letter case), the path (a doubled or trailing <c>/</c>
/// and percent-encoding aside), the query string and the body must be the same; JSON bodies are compared as JSON
/// (property order and spacing aside), leaving out the volatile fields.
/// </summary>
/// <remarks>A difference names the JSON path of the first field that differs, in the recorded body's order, with both
/// values cut to a short excerpt. Similarity counts the method, path and query and the share of the body's values that are
/// equal.</remarks>
public sealed class CassetteMatcher : ICassetteMatcher
{
    private const int ExcerptLength = 60;

    private readonly FieldPattern[] _volatile;

    /// <summary>Initializes a matcher that compares every field.</summary>
    public CassetteMatcher()
        : this([])
    {
    }

    /// <summary>Initializes a matcher that leaves out <paramref name="volatileFields"/>.</summary>
    /// <param name="volatileFields">Fields that may differ, named as <see cref="CassetteOptions.VolatileFields"/> describes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="volatileFields"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name is empty or has an empty segment.</exception>
    public CassetteMatcher(IEnumerable<string> volatileFields)
    {
        ArgumentNullException.ThrowIfNull(volatileFields);
        _volatile = FieldPattern.ParseAll(volatileFields, nameof(volatileFields));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CassetteComparison Compare(CassetteRequest recorded, CassetteRequest live)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(live);
        var sameMethod = string.Equals(recorded.Method, live.Method, StringComparison.OrdinalIgnoreCase);
        var samePath = string.Equals(NormalizePath(recorded.Path), NormalizePath(live.Path), StringComparison.Ordinal);
        var sameQuery = string.Equals(recorded.Query.TrimStart('?'), live.Query.TrimStart('?'), StringComparison.Ordinal);
        var body = new BodyComparison(_volatile);
        body.Compare(recorded, live);
        var similarity = (sameMethod ? 0.2 : 0) + (samePath ? 0.3 : 0) + (sameQuery ? 0.1 : 0) + (0.4 * body.Similarity);
        var difference = !sameMethod ? $"method: recorded {recorded.Method}, live {live.Method}"
            : !samePath ? $"path: recorded {recorded.Path}, live {live.Path}"
            : !sameQuery ? $"query: recorded '{recorded.Query}', live '{live.Query}'"
            : body.FirstDifference;
        return difference is null ? CassetteComparison.Match : CassetteComparison.Mismatch(difference, similarity);
    }

    /// <summary>Cuts a value to a short excerpt for a message.</summary>
    internal static string Excerpt(string text) =>
        text.Length <= ExcerptLength ? text : string.Concat(text.AsSpan(0, ExcerptLength), "…");

    /// <summary>Reads a path as the server does: percent-encoding decoded (a recorder keeps the path as sent, a server
    /// hands it on decoded), doubled slashes as one, no trailing slash.</summary>
    private static string NormalizePath(string path)
    {
        path = Uri.UnescapeDataString(path);
        var normalized = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c != '/' || normalized.Length == 0 || normalized[^1] != '/')
            {
                normalized.Append(c);
            }
        }

        return normalized.Length > 1 && normalized[^1] == '/' ? normalized.ToString(0, normalized.Length - 1) : normalized.ToString();
    }
}
