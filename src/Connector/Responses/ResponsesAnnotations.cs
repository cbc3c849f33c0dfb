using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>
/// Maps the annotations of a Responses <c>output_text</c> part onto <see cref="CitationAnnotation"/>s: <c>url_citation</c>
/// (url, title, a <see cref="TextSpanAnnotatedRegion"/> from <c>start_index</c> to <c>end_index</c>), <c>file_citation</c>
/// (file id, <c>filename</c> as the title), <c>container_file_citation</c> (file id, filename, <c>container_id</c> under
/// <see cref="ResponsesHostedItems.ContainerIdKey"/>, the span), <c>file_path</c> and types not known yet (file id where
/// there is one); each annotation's JSON is its <see cref="AIAnnotation.RawRepresentation"/> and, so that it goes back with the text
/// after a history was stored, a string under <see cref="ResponsesKeys.Annotation"/>.
/// </summary>
internal static class ResponsesAnnotations
{
    /// <summary>Reads an <c>annotations</c> array (the UTF-8 JSON of it); <see langword="null"/> when it holds none.</summary>
    public static List<AIAnnotation>? ReadArray(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        List<AIAnnotation>? annotations = null;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                (annotations ??= []).Add(Map(element));
            }
        }

        return annotations;
    }

    /// <summary>
    /// Reads the <c>annotation</c> of a <c>response.output_text.annotation.added</c> event, with its <c>output_index</c>
    /// (-1 when it has none; one that is no index is <c>invalid_response</c>); <see langword="null"/> when the event holds no annotation object.
    /// </summary>
    public static CitationAnnotation? ReadAdded(ReadOnlySpan<byte> payload, out int outputIndex)
    {
        using var document = JsonDocument.Parse(payload.ToArray());
        var e = document.RootElement;
        outputIndex = !e.TryGetProperty("output_index", out var index) || index.ValueKind == JsonValueKind.Null ? -1
            : index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var i) && i >= 0 ? i
            : throw JsonReading.NotAnIndex(ResponsesProtocol.DisplayName, "output_index");
        return e.TryGetProperty("annotation", out var annotation) && annotation.ValueKind == JsonValueKind.Object ? Map(annotation) : null;
    }

    private static CitationAnnotation Map(JsonElement annotation)
    {
        var type = String(annotation, "type");
        var citation = new CitationAnnotation
        {
            RawRepresentation = annotation.Clone(),
            Url = String(annotation, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null,
            Title = String(annotation, "title") ?? String(annotation, "filename"),
            FileId = String(annotation, "file_id"),
            ToolName = type switch
            {
                "url_citation" => "web_search",
                "file_citation" => "file_search",
                "container_file_citation" => "code_interpreter",
                _ => null,
            },
        };

        citation.AdditionalProperties = new() { [ResponsesKeys.Annotation] = annotation.GetRawText() };
        if (String(annotation, "container_id") is { } container)
        {
            citation.AdditionalProperties[ResponsesHostedItems.ContainerIdKey] = container;
        }

        if (Int(annotation, "start_index") is { } start && Int(annotation, "end_index") is { } end)
        {
            citation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }];
        }

        return citation;
    }

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
