using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Shared;

/// <summary>
/// A string every event of a stream repeats (a response id, a model): its UTF-8 bytes are kept, so an unchanged
/// value is recognized by comparing bytes, and a new string is made only when the value changes.
/// </summary>
internal struct RepeatedString
{
    private byte[]? _utf8;

    /// <summary>Gets the current value, or <see langword="null"/> before any was read.</summary>
    public string? Value { get; private set; }

    /// <summary>
    /// Reads the value at the reader's position. An empty string keeps the current value; a value of another type is
    /// skipped whole, so an object's members are never read as the enclosing object's fields.
    /// </summary>
    public void Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return;
        }

        if (reader.ValueSpan.Length == 0 || (_utf8 is not null && reader.ValueTextEquals(_utf8)))
        {
            return;
        }

        Value = reader.GetString()!;
        _utf8 = Encoding.UTF8.GetBytes(Value);
    }
}
