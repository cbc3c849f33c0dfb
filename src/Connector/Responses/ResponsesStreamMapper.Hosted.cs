// Hosted-tool output: text annotations and partial images streamed as events, and the done items of hosted tools.

using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

internal sealed partial class ResponsesStreamMapper
{
    /// <summary>
    /// <c>response.output_text.annotation.added</c>: it follows the text deltas it annotates, so it goes out on an update of
    /// its own, an empty <see cref="TextContent"/> holding the annotation, in the same message (<c>ToChatResponse</c> leaves
    /// it beside the message's text: Microsoft.Extensions.AI never merges annotated text); the item's done event then adds
    /// no annotation twice.
    /// </summary>
    private ChatResponseUpdate? OnAnnotation(ReadOnlySpan<byte> payload)
    {
        if (ResponsesAnnotations.ReadAdded(payload, out var index) is not { } annotation)
        {
            return null;
        }

        var item = ItemAt(index, payload, -1);
        if (item.Done)
        {
            return null;
        }

        (_annotated ??= []).Add(item.Index);
        return ItemUpdate(item, [new TextContent(string.Empty) { Annotations = [annotation] }]);
    }

    /// <summary><c>response.image_generation_call.partial_image</c>: the partial image as it arrives (see <see cref="ResponsesHostedItems.PartialImage"/>).</summary>
    private ChatResponseUpdate? OnPartialImage(ReadOnlySpan<byte> payload)
    {
        if (ResponsesHostedItems.PartialImage(payload) is not { } image)
        {
            return null;
        }

        var reader = ObjectReader(payload);
        var index = JsonReading.SeekField(ref reader, "output_index"u8) ? JsonReading.Index(ref reader, Protocol, "output_index") : -1;
        var item = ItemAt(index, payload, -1);
        return item.Done ? null : ItemUpdate(item, [image]);
    }

    /// <summary>A done item of a hosted tool, a compaction or a type nobody announced: mapped where a type fits, its JSON kept verbatim for the next request.</summary>
    private static void CompleteHosted(ResponsesOutputItem item, ReadOnlySpan<byte> json, ref List<AIContent>? contents)
    {
        item.Json.Add(json);
        ResponsesHostedItems.Map(json, ref contents);
    }
}
