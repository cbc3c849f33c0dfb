using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>
/// Reads the <c>annotations</c> of a message or delta: <c>{"type":"url_citation","url_citation":{"url","title","start_index","end_index"}}</c>
/// (OpenAI's form; the fields may also stand flat beside <c>type</c>) → <see cref="CitationAnnotation"/> with
/// <see cref="CitationAnnotation.Url"/>, <see cref="CitationAnnotation.Title"/> and a <see cref="TextSpanAnnotatedRegion"/>
/// when both indices are given; <c>file_id</c> and <c>content</c>/<c>snippet</c>, where a server sends them, fill
/// <see cref="CitationAnnotation.FileId"/> and <see cref="CitationAnnotation.Snippet"/>. The annotation's JSON is its
/// <see cref="AIAnnotation.RawRepresentation"/>. Annotations are rare, so they are read as <see cref="JsonElement"/>s,
/// off the text path.
/// </summary>
internal static class ChatCompletionsAnnotations
{
    /// <summary>Reads the value the reader stands on (an array, or null); returns the annotations, or <see langword="null"/> when there are none.</summary>
    /// <exception cref="InvalidOperationException">The value is neither an array nor null.</exception>
    public static List<AIAnnotation>? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidOperationException($"Expected annotations as an array, found {reader.TokenType}.");
        }

        var array = JsonElement.ParseValue(ref reader);
        List<AIAnnotation>? annotations = null;
        foreach (var item in array.EnumerateArray())
        {
            // An annotation names its type; an entry without one is no annotation, like an entry that is no object.
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                (annotations ??= []).Add(ToCitation(item));
            }
        }

        return annotations;
    }

    private static CitationAnnotation ToCitation(JsonElement item)
    {
        // OpenAI nests the fields under an object named like the type; read them there, else beside the type.
        var fields = item;
        if (item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && item.TryGetProperty(type.GetString()!, out var nested) && nested.ValueKind == JsonValueKind.Object)
        {
            fields = nested;
        }

        var citation = new CitationAnnotation
        {
            Title = String(fields, "title"),
            FileId = String(fields, "file_id"),
            Snippet = String(fields, "content") ?? String(fields, "snippet"),
            RawRepresentation = item,
        };
        if (String(fields, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            citation.Url = uri;
        }

        if (Index(fields, "start_index") is { } start && Index(fields, "end_index") is { } end)
        {
            citation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }];
        }

        return citation;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static int? Index(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var index) ? index : null;
}
