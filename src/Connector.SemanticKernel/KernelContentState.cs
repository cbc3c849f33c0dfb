using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using AIFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using AIFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using AITextContent = Microsoft.Extensions.AI.TextContent;

namespace YuHuan.Connector.SemanticKernel;

/// <summary>
/// Keeps, in Semantic Kernel <c>Metadata</c> (which a serialized <c>ChatHistory</c> carries, unlike <c>InnerContent</c>),
/// what the next request needs of a Microsoft.Extensions.AI content beyond what Semantic Kernel's own members hold: a
/// reasoning signature or encrypted content (<see cref="TextReasoningContent.ProtectedData"/>), the ids and markers in
/// <see cref="AIContent.AdditionalProperties"/>, a text's annotations, and whole contents Semantic Kernel has no type
/// for (hosted tool calls and results, kept server blocks and items, generated data), each kept where it stood.
/// </summary>
/// <remarks>
/// Each value is the content's Microsoft.Extensions.AI JSON (<see cref="AIJsonUtilities.DefaultOptions"/>) as a
/// <see cref="JsonElement"/>, the same in memory as after a JSON round trip, so a live and a restored history give the
/// same request.
/// </remarks>
internal static class KernelContentState
{
    /// <summary>An item's key: the content it was made from, when Semantic Kernel's members do not carry all of it.</summary>
    public const string ContentKey = "yuhuan_content";

    /// <summary>An item's key: the contents with no Semantic Kernel type that stood right before it, as a JSON array.</summary>
    public const string PrecedingKey = "yuhuan_preceding";

    /// <summary>A message's key: the contents with no Semantic Kernel type that stood after its last item, as a JSON array.</summary>
    public const string TrailingKey = "yuhuan_trailing";

    private static JsonTypeInfo ContentInfo => AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent));

    /// <summary>
    /// Returns the metadata of the item made from <paramref name="content"/>: its state where Semantic Kernel's members
    /// do not hold it all, and the <paramref name="preceding"/> contents; <see langword="null"/> when there is neither.
    /// </summary>
    public static Dictionary<string, object?>? Describe(AIContent content, List<AIContent>? preceding)
    {
        Dictionary<string, object?>? metadata = null;
        if (StateOf(content) is { } state)
        {
            (metadata ??= new(2))[ContentKey] = JsonSerializer.SerializeToElement(state, ContentInfo);
        }

        if (preceding is { Count: > 0 })
        {
            (metadata ??= new(1))[PrecedingKey] = ToJson(preceding);
        }

        return metadata;
    }

    /// <summary>Serializes contents as a JSON array of Microsoft.Extensions.AI contents.</summary>
    public static JsonElement ToJson(List<AIContent> contents)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var content in contents)
            {
                JsonSerializer.Serialize(writer, content, ContentInfo);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Reads the contents kept under <paramref name="key"/> (<see cref="PrecedingKey"/> or <see cref="TrailingKey"/>) into <paramref name="contents"/>.</summary>
    /// <exception cref="ArgumentException">The kept value is not an array of Microsoft.Extensions.AI contents.</exception>
    public static void AddKept(IReadOnlyDictionary<string, object?>? metadata, string key, IList<AIContent> contents)
    {
        if (Json(metadata, key) is not { } kept)
        {
            return;
        }

        if (kept.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"Metadata[\"{key}\"] must be a JSON array of contents; it is a {kept.ValueKind}.", nameof(metadata));
        }

        foreach (var element in kept.EnumerateArray())
        {
            contents.Add(Deserialize(element, key));
        }
    }

    /// <summary>Returns the content an item was made from, as kept in its metadata, when it is a <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">The kept value is not a Microsoft.Extensions.AI content.</exception>
    public static T? Restore<T>(IReadOnlyDictionary<string, object?>? metadata)
        where T : AIContent =>
        Json(metadata, ContentKey) is { } element ? Deserialize(element, ContentKey) as T : null;

    /// <summary>Copies what <paramref name="kept"/> holds beyond Semantic Kernel's members onto <paramref name="target"/>, and returns it.</summary>
    public static T Carry<T>(AIContent? kept, T target)
        where T : AIContent
    {
        if (kept is not null)
        {
            target.AdditionalProperties = kept.AdditionalProperties;
            target.Annotations = kept.Annotations;
        }

        return target;
    }

    /// <summary>
    /// Returns what has to be kept of <paramref name="content"/> beyond Semantic Kernel's members, or <see langword="null"/>:
    /// a text or reasoning whole (its text ties the rest to it), a call or result without its arguments or result.
    /// </summary>
    private static AIContent? StateOf(AIContent content)
    {
        var extra = content.AdditionalProperties is { Count: > 0 } || content.Annotations is { Count: > 0 };
        return content switch
        {
            TextReasoningContent reasoning => extra || reasoning.ProtectedData is not null ? reasoning : null,
            AITextContent text => extra ? text : null,
            AIFunctionCallContent call when extra => Carry(call, new AIFunctionCallContent(call.CallId, call.Name) { InformationalOnly = call.InformationalOnly }),
            AIFunctionResultContent result when extra => Carry(result, new AIFunctionResultContent(result.CallId, result: null)),
            _ => null,
        };
    }

    private static JsonElement? Json(IReadOnlyDictionary<string, object?>? metadata, string key) =>
        metadata?.TryGetValue(key, out var value) == true
            ? value switch
            {
                null => null,
                JsonElement element => element,
                _ => throw new ArgumentException($"Metadata[\"{key}\"] must be the JSON this connector stored; it is a {value.GetType().Name}.", nameof(metadata)),
            }
            : null;

    private static AIContent Deserialize(JsonElement element, string key)
    {
        try
        {
            if (element.Deserialize(ContentInfo) is AIContent content)
            {
                return content;
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Metadata[\"{key}\"] is not a content this connector stored: {ex.Message}", "metadata", ex);
        }

        throw new ArgumentException($"Metadata[\"{key}\"] holds a null content.", "metadata");
    }
}
