using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Keeps the fields of a known block or item that its mapping does not use (see <see cref="UnusedFields"/>) on the
/// content it maps to, as a JSON object in a string under a protocol's own <see cref="AIContent.AdditionalProperties"/>
/// key, so they survive a history stored as JSON; that protocol's writer adds them back to the block or item it writes
/// for the content, and other protocols ignore them.
/// </summary>
internal static class WireFields
{
    /// <summary>Keeps <paramref name="json"/> (a JSON object of fields, or <see langword="null"/> for none) on <paramref name="content"/> under <paramref name="key"/>.</summary>
    public static T Keep<T>(T content, string key, string? json)
        where T : AIContent
    {
        if (json is not null)
        {
            (content.AdditionalProperties ??= [])[key] = json;
        }

        return content;
    }

    /// <summary>Gets the fields kept on <paramref name="content"/> under <paramref name="key"/>, as kept or as they read after the history went through JSON.</summary>
    public static string? Get(AIContent content, string key) =>
        content.AdditionalProperties?.TryGetValue(key, out var value) == true && value is JsonElement { ValueKind: JsonValueKind.Object } element
            ? element.GetRawText()
            : GetString(content, key);

    /// <summary>Gets the string kept on <paramref name="content"/> under <paramref name="key"/>, as kept or as it reads after the history went through JSON; <see langword="null"/> for none or another kind of value.</summary>
    public static string? GetString(AIContent content, string key) =>
        content.AdditionalProperties?.TryGetValue(key, out var value) == true
            ? value switch
            {
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                _ => null,
            }
            : null;

    /// <summary>
    /// Writes the fields kept on <paramref name="content"/> under <paramref name="key"/> into the object being written,
    /// except those named in <paramref name="written"/> (fields the writer sets itself).
    /// </summary>
    /// <exception cref="ArgumentException">The kept value is not a JSON object.</exception>
    public static void Write(Utf8JsonWriter writer, AIContent content, string key, params ReadOnlySpan<string> written)
    {
        using var document = Parse(content, key, JsonValueKind.Object);
        if (document is null)
        {
            return;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!written.Contains(property.Name))
            {
                property.WriteTo(writer);
            }
        }
    }

    /// <summary>
    /// Parses the JSON kept on <paramref name="content"/> under <paramref name="key"/>, which must be a JSON value of
    /// <paramref name="kind"/> (an object or an array); <see langword="null"/> when nothing (or an empty string) is kept.
    /// </summary>
    /// <exception cref="ArgumentException">The kept value is no JSON of <paramref name="kind"/>.</exception>
    public static JsonDocument? Parse(AIContent content, string key, JsonValueKind kind)
    {
        if (Get(content, key) is not { Length: > 0 } json)
        {
            return null;
        }

        var expected = kind == JsonValueKind.Array ? "a JSON array" : "a JSON object";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The '{key}' property of a {content.GetType().Name} is not {expected}.", nameof(content), ex);
        }

        if (document.RootElement.ValueKind != kind)
        {
            document.Dispose();
            throw new ArgumentException($"The '{key}' property of a {content.GetType().Name} is not {expected}.", nameof(content));
        }

        return document;
    }
}
