namespace YuHuan.Connector.Shared;

/// <summary>
/// A string every event of a stream repeats (a response id, a model). The first non-empty value is kept for the
/// whole response, so the ids on its updates stay stable even when a server varies them; later values are skipped
/// without being read into strings.
/// </summary>
internal struct RepeatedString
{
    /// <summary>Gets the value, or <see langword="null"/> before any was read.</summary>
    public string? Value { get; private set; }

    /// <summary>
    /// Reads the value at the reader's position if none is kept yet. A value of another type is skipped whole, so an
    /// object's members are never read as the enclosing object's fields.
    /// </summary>
    public void Read(ref System.Text.Json.Utf8JsonReader reader)
    {
        if (Value is null && reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueSpan.Length > 0)
        {
            Value = reader.GetString();
            return;
        }

        reader.Skip();
    }

    /// <summary>Keeps <paramref name="value"/> if no value is kept yet and it is not empty.</summary>
    public void Keep(string? value)
    {
        if (Value is null && !string.IsNullOrEmpty(value))
        {
            Value = value;
        }
    }
}
