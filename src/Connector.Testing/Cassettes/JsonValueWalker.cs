using System.Globalization;
using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Reads a JSON document value by value, keeping the path of each (property names and array indexes from the root), so
/// that secret fields can be found by <see cref="FieldPattern"/> and streamed string values grouped by field.
/// </summary>
internal sealed class JsonValueWalker
{
    private readonly List<string> _path = [];

    // For each open container: whether it is an array, its next item index, and whether it added a path segment.
    private readonly Stack<(bool IsArray, int Next, bool HasSegment)> _containers = new();
    private (bool IsContainer, bool IsArray, bool HasSegment)? _current;
    private bool _consumed;

    /// <summary>Gets the path of the value the reader is at; empty for the root.</summary>
    public IReadOnlyList<string> Path => _path;

    /// <summary>Moves the reader to the next value (a string, number or literal, or the start of an object or array, which
    /// is entered on the next call unless <see cref="Consumed"/> says it was read past).</summary>
    /// <returns><see langword="false"/> at the end of the document.</returns>
    /// <exception cref="JsonException">The document is not JSON.</exception>
    public bool ReadValue(ref Utf8JsonReader reader)
    {
        LeaveCurrent();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    _path.Add(reader.GetString()!);
                    continue;

                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (_containers.Pop().HasSegment)
                    {
                        _path.RemoveAt(_path.Count - 1);
                    }

                    continue;
            }

            // A value: in an array its index is its segment; in an object its property name already is.
            var hasSegment = _containers.Count > 0;
            if (_containers.TryPop(out var parent))
            {
                if (parent.IsArray)
                {
                    _path.Add(parent.Next.ToString(CultureInfo.InvariantCulture));
                }

                _containers.Push(parent with { Next = parent.Next + 1 });
            }

            var isContainer = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;
            _current = (isContainer, reader.TokenType == JsonTokenType.StartArray, hasSegment);
            return true;
        }

        return false;
    }

    /// <summary>Says that the caller read past the current value (an object or array it skipped); the next
    /// <see cref="ReadValue"/> goes on after it instead of into it.</summary>
    public void Consumed() => _consumed = true;

    private void LeaveCurrent()
    {
        if (_current is not { } current)
        {
            return;
        }

        if (current.IsContainer && !_consumed)
        {
            _containers.Push((current.IsArray, 0, current.HasSegment));
        }
        else if (current.HasSegment)
        {
            _path.RemoveAt(_path.Count - 1);
        }

        _current = null;
        _consumed = false;
    }
}
