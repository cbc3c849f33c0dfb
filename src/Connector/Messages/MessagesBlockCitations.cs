using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Messages;

/// <summary>
/// Maps the citations of a Messages <c>text</c> block onto <see cref="CitationAnnotation"/>s of the block's
/// <see cref="TextContent"/>, and builds the block as it was sent so a later request carries it back with them.
/// </summary>
/// <remarks>
/// A citation backs the whole block it belongs to ("responses include multiple text blocks with citations"), so its
/// region is the block's text from start to end. <c>title</c> (or <c>document_title</c>), <c>url</c>, <c>file_id</c> and
/// <c>cited_text</c> become the title, URL, file id and snippet; the numbers that locate the cited passage in its source
/// (<c>start_char_index</c>, <c>start_page_number</c>, <c>start_block_index</c>, <c>document_index</c>, …) go in the
/// annotation's additional properties; the citation's JSON is its raw representation.
/// </remarks>
internal static class MessagesBlockCitations
{
    /// <summary>Builds the annotations of a block whose text is <paramref name="text"/>, from its citation objects.</summary>
    public static List<AIAnnotation> Annotate(IReadOnlyList<JsonElement> citations, string text)
    {
        var annotations = new List<AIAnnotation>(citations.Count);
        foreach (var citation in citations)
        {
            annotations.Add(Read(citation, text.Length));
        }

        return annotations;
    }

    /// <summary>
    /// Builds a <c>text</c> block: its type, <paramref name="fields"/> (the block's fields the mapping does not use, a JSON
    /// object, or <see langword="null"/>), the whole text and every citation.
    /// </summary>
    public static JsonElement Block(string? fields, string text, IReadOnlyList<JsonElement> citations)
    {
        using var scratch = JsonScratch.Rent();
        var writer = scratch.Writer;
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        if (fields is not null)
        {
            using var unused = JsonDocument.Parse(fields);
            foreach (var property in unused.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteString("text"u8, text);
        writer.WritePropertyName("citations"u8);
        writer.WriteStartArray();
        foreach (var citation in citations)
        {
            citation.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return JsonElement.Parse(scratch.WrittenUtf8);
    }

    private static CitationAnnotation Read(JsonElement citation, int textLength)
    {
        var annotation = new CitationAnnotation
        {
            RawRepresentation = citation.Clone(),
            AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = 0, EndIndex = textLength }],
        };
        if (citation.ValueKind != JsonValueKind.Object)
        {
            return annotation;
        }

        foreach (var property in citation.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString();
                if (string.IsNullOrEmpty(text))
                {
                    continue;
                }

                switch (property.Name)
                {
                    case "title" or "document_title":
                        annotation.Title ??= text;
                        break;
                    case "url" when Uri.TryCreate(text, UriKind.Absolute, out var url):
                        annotation.Url = url;
                        break;
                    case "file_id":
                        annotation.FileId = text;
                        break;
                    case "cited_text":
                        annotation.Snippet = text;
                        break;
                    case "type" when text == "web_search_result_location":
                        annotation.ToolName = "web_search";
                        break;
                }
            }
            else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            {
                (annotation.AdditionalProperties ??= [])[property.Name] = number;
            }
        }

        return annotation;
    }
}
