using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Gathers, while a known block or item is read, the fields its mapping does not use (a <c>tool_use</c> block's
/// <c>caller</c>, a message item's <c>phase</c>, a tool call's <c>extra_content</c>, fields nobody announced), so that
/// <see cref="WireFields"/> keeps them on the content and the request writer sends them back in place.
/// </summary>
internal struct UnusedFields
{
    private List<Range>? _ranges;

    /// <summary>Gets a value indicating whether any field was gathered.</summary>
    public readonly bool Any => _ranges is not null;

    /// <summary>Takes the field at the reader's property name (name and value, as they are on the wire) and moves past its value.</summary>
    /// <param name="reader">The reader, at a property name; at the end of its value afterwards.</param>
    public void Take(ref Utf8JsonReader reader)
    {
        // A property name's token starts at its opening quote.
        var start = (int)reader.TokenStartIndex;
        reader.Read();
        reader.Skip();
        (_ranges ??= []).Add(new Range(start, (int)reader.BytesConsumed));
    }

    /// <summary>The gathered fields as one JSON object, or <see langword="null"/> when there are none.</summary>
    /// <param name="data">The JSON the reader that took them read.</param>
    public readonly string? ToJson(ReadOnlySpan<byte> data)
    {
        if (_ranges is null)
        {
            return null;
        }

        var builder = new StringBuilder("{");
        for (var i = 0; i < _ranges.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(Encoding.UTF8.GetString(data[_ranges[i]]));
        }

        return builder.Append('}').ToString();
    }
}
