using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

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

    /// <summary>Quotes the part of a string around <paramref name="at"/>, where it parts from the other, JSON-escaped, with
    /// <c>…</c> where it was cut: a long prompt that differs near its end shows the difference.</summary>
    internal static string ExcerptAround(string value, int at)
    {
        const int Before = 20;
        var from = at > Before && value.Length > ExcerptLength ? at - Before : 0;
        var length = Math.Min(ExcerptLength, value.Length - from);
        var text = JsonEncodedText.Encode(value.AsSpan(from, length), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        return string.Concat("\"", from > 0 ? "…" : string.Empty, text, from + length < value.Length ? "…" : string.Empty, "\"");
    }

    /// <summary>Describes two strings that differ: both around the first character where they part, and where that is when
    /// either had to be cut or <paramref name="sayWhere"/> asks.</summary>
    internal static string DescribeStrings(string recorded, string live, bool sayWhere = false)
    {
        var at = 0;
        while (at < recorded.Length && at < live.Length && recorded[at] == live[at])
        {
            at++;
        }

        var where = sayWhere || recorded.Length > ExcerptLength || live.Length > ExcerptLength
            ? string.Create(CultureInfo.InvariantCulture, $" (they part at character {at})")
            : string.Empty;
        return $"recorded {ExcerptAround(recorded, at)}, live {ExcerptAround(live, at)}{where}";
    }

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
