using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Compares two request bodies for <see cref="CassetteMatcher"/>: as JSON when both are, value by value, leaving out
/// volatile fields; otherwise as text. Keeps the first difference and counts equal values for the similarity.
/// </summary>
internal sealed class BodyComparison
{
    private readonly FieldPattern[] _volatile;
    private readonly List<string> _path = [];
    private int _equal;
    private int _total;

    public BodyComparison(FieldPattern[] volatileFields)
    {
        _volatile = volatileFields;
    }

    /// <summary>Gets the first difference, or <see langword="null"/> when the bodies match.</summary>
    public string? FirstDifference { get; private set; }

    /// <summary>Gets the share of values that are equal, from 0 to 1.</summary>
    public double Similarity => _total == 0 ? 1 : (double)_equal / _total;

    public void Compare(CassetteRequest recorded, CassetteRequest live)
    {
        if (recorded.Json.ValueKind != JsonValueKind.Undefined && live.Json.ValueKind != JsonValueKind.Undefined)
        {
            CompareValues(recorded.Json, live.Json);
            return;
        }

        CompareText(recorded.Body, live.Body);
    }

    private static string Describe(JsonElement value) => CassetteMatcher.Excerpt(value.GetRawText());

    private static int CountValues(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => Math.Max(1, value.EnumerateObject().Sum(p => CountValues(p.Value))),
        JsonValueKind.Array => Math.Max(1, value.EnumerateArray().Sum(CountValues)),
        _ => 1,
    };

    private static bool SameLeaf(JsonElement recorded, JsonElement live) => recorded.ValueKind switch
    {
        JsonValueKind.String => string.Equals(recorded.GetString(), live.GetString(), StringComparison.Ordinal),
        JsonValueKind.Number => string.Equals(recorded.GetRawText(), live.GetRawText(), StringComparison.Ordinal)
            || (recorded.TryGetDecimal(out var a) && live.TryGetDecimal(out var b) && a == b),
        _ => true,
    };

    private void CompareText(string recorded, string live)
    {
        _total++;
        if (string.Equals(recorded, live, StringComparison.Ordinal))
        {
            _equal++;
            return;
        }

        FirstDifference = $"body as text: {CassetteMatcher.DescribeStrings(recorded, live, sayWhere: true)}";
    }

    private void CompareValues(JsonElement recorded, JsonElement live)
    {
        if (recorded.ValueKind != live.ValueKind
            && !(recorded.ValueKind is JsonValueKind.True or JsonValueKind.False && live.ValueKind is JsonValueKind.True or JsonValueKind.False))
        {
            Differ(CountValues(recorded), $"recorded {Describe(recorded)}, live {Describe(live)}");
            return;
        }

        switch (recorded.ValueKind)
        {
            case JsonValueKind.Object:
                CompareObjects(recorded, live);
                return;

            case JsonValueKind.Array:
                CompareArrays(recorded, live);
                return;

            default:
                if (recorded.ValueKind == live.ValueKind && SameLeaf(recorded, live))
                {
                    _equal++;
                    _total++;
                }
                else if (recorded.ValueKind == JsonValueKind.String && live.ValueKind == JsonValueKind.String)
                {
                    Differ(1, CassetteMatcher.DescribeStrings(recorded.GetString()!, live.GetString()!));
                }
                else
                {
                    Differ(1, $"recorded {Describe(recorded)}, live {Describe(live)}");
                }

                return;
        }
    }

    private void CompareObjects(JsonElement recorded, JsonElement live)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in recorded.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                continue;
            }

            _path.Add(property.Name);
            if (!FieldPattern.AnyMatches(_volatile, _path))
            {
                if (live.TryGetProperty(property.Name, out var liveValue))
                {
                    CompareValues(property.Value, liveValue);
                }
                else
                {
                    Differ(CountValues(property.Value), $"recorded {Describe(property.Value)}, live has no such field");
                }
            }

            _path.RemoveAt(_path.Count - 1);
        }

        foreach (var property in live.EnumerateObject())
        {
            if (seen.Contains(property.Name))
            {
                continue;
            }

            _path.Add(property.Name);
            if (!FieldPattern.AnyMatches(_volatile, _path))
            {
                Differ(CountValues(property.Value), $"live {Describe(property.Value)}, the recording has no such field");
            }

            _path.RemoveAt(_path.Count - 1);
        }
    }

    private void CompareArrays(JsonElement recorded, JsonElement live)
    {
        var recordedLength = recorded.GetArrayLength();
        var liveLength = live.GetArrayLength();
        for (var i = 0; i < Math.Max(recordedLength, liveLength); i++)
        {
            _path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!FieldPattern.AnyMatches(_volatile, _path))
            {
                if (i >= liveLength)
                {
                    Differ(CountValues(recorded[i]), $"recorded {Describe(recorded[i])}, live has {liveLength} items");
                }
                else if (i >= recordedLength)
                {
                    Differ(CountValues(live[i]), $"live {Describe(live[i])}, the recording has {recordedLength} items");
                }
                else
                {
                    CompareValues(recorded[i], live[i]);
                }
            }

            _path.RemoveAt(_path.Count - 1);
        }
    }

    private void Differ(int values, string what)
    {
        _total += values;
        FirstDifference ??= $"body at {JsonPath()}: {what}";
    }

    private string JsonPath()
    {
        var path = new StringBuilder("$");
        foreach (var segment in _path)
        {
            if (segment.Length > 0 && char.IsAsciiDigit(segment[0]) && segment.All(char.IsAsciiDigit))
            {
                path.Append('[').Append(segment).Append(']');
            }
            else
            {
                path.Append('.').Append(segment);
            }
        }

        return path.ToString();
    }
}
