namespace YuHuan.Connector.Testing;

/// <summary>
/// A JSON field named in <see cref="CassetteOptions.VolatileFields"/> or <see cref="CassetteOptions.SecretFields"/>: a
/// plain name (<c>user</c>) stands for a property of that name at any depth; a dotted path (<c>metadata.trace_id</c>,
/// <c>messages.*.id</c>) is followed from the root of the body, <c>*</c> standing for any property or array item and a
/// number for that array item.
/// </summary>
internal sealed class FieldPattern
{
    private readonly string[] _segments;
    private readonly bool _anyDepth;

    private FieldPattern(string[] segments, bool anyDepth)
    {
        _segments = segments;
        _anyDepth = anyDepth;
    }

    /// <summary>Reads the patterns of a set of names.</summary>
    /// <exception cref="ArgumentException">A name is empty or has an empty segment.</exception>
    public static FieldPattern[] ParseAll(IEnumerable<string> names, string parameterName) =>
        [.. names.Select(name => Parse(name, parameterName))];

    /// <summary>Gets a value indicating whether any of <paramref name="patterns"/> names the field at <paramref name="path"/>.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <param name="path">The property names and array indexes from the root to the field.</param>
    /// <returns><see langword="true"/> when one of them does.</returns>
    public static bool AnyMatches(FieldPattern[] patterns, IReadOnlyList<string> path)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.Matches(path))
            {
                return true;
            }
        }

        return false;
    }

    private static FieldPattern Parse(string name, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A field name must not be empty.", parameterName);
        }

        var segments = name.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            throw new ArgumentException($"The field path '{name}' has an empty segment.", parameterName);
        }

        return new FieldPattern(segments, anyDepth: segments.Length == 1 && segments[0] != "*");
    }

    private bool Matches(IReadOnlyList<string> path)
    {
        if (_anyDepth)
        {
            return path.Count > 0 && string.Equals(path[^1], _segments[0], StringComparison.Ordinal);
        }

        if (path.Count != _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (_segments[i] != "*" && !string.Equals(_segments[i], path[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
