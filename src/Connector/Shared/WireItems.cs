using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Keeps what a server sent that a request must carry back as it came (a block or item with no Microsoft.Extensions.AI
/// type, a hosted tool's call or result with its encrypted content). The content's
/// <see cref="AIContent.AdditionalProperties"/> hold the block's or item's JSON under <see cref="JsonKey"/> and the
/// protocol it came from under <see cref="ProtocolKey"/>, so the state survives wherever a history is stored (JSON,
/// a distributed cache): only that protocol's writer sends it back, verbatim and in its original position; another
/// protocol's writer leaves it out with a Debug log line. <see cref="AIContent.RawRepresentation"/> holds the same JSON
/// as a convenience; no writer reads it, as no store keeps it.
/// </summary>
internal static class WireItems
{
    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key of the protocol a kept block or item came from.</summary>
    public const string ProtocolKey = "yuhuan_protocol";

    /// <summary>
    /// The <see cref="AIContent.AdditionalProperties"/> key of the kept block's or item's JSON: a <see cref="JsonElement"/>
    /// object, which a JSON round trip gives back as one (a store that keeps values as text may give the JSON as a string).
    /// </summary>
    public const string JsonKey = "yuhuan_json";

    /// <summary>Marks <paramref name="content"/> as carrying <paramref name="json"/>, a block or item of <paramref name="protocol"/>, and returns it.</summary>
    /// <param name="content">The content the block or item maps to: a hosted tool content, or a plain <see cref="AIContent"/> when it has no type.</param>
    /// <param name="json">The block's or item's JSON (cloned, so it outlives the buffer it was read from).</param>
    /// <param name="protocol">The protocol's name, as the protocol names itself in messages.</param>
    public static T Keep<T>(T content, JsonElement json, string protocol)
        where T : AIContent
    {
        var properties = content.AdditionalProperties ??= [];
        properties[ProtocolKey] = protocol;
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            content.RawRepresentation = null;
            return content;
        }

        var kept = json.Clone();
        content.RawRepresentation = kept;
        properties[JsonKey] = kept;
        return content;
    }

    /// <summary>Keeps the UTF-8 JSON <paramref name="utf8Json"/> on <paramref name="content"/>; see <see cref="Keep{T}(T, JsonElement, string)"/>.</summary>
    public static T Keep<T>(T content, ReadOnlySpan<byte> utf8Json, string protocol)
        where T : AIContent
    {
        using var document = JsonDocument.Parse(utf8Json.ToArray());
        return Keep(content, document.RootElement, protocol);
    }

    /// <summary>
    /// Gets the JSON <paramref name="content"/> carries back to <paramref name="protocol"/>: found when the content was kept
    /// from that protocol and holds a block's or item's JSON object under <see cref="JsonKey"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The value under <see cref="JsonKey"/> is no JSON object (the store that kept the history changed it).</exception>
    public static bool TryGetOwn(AIContent content, string protocol, out JsonElement json)
    {
        if (From(content) == protocol && Json(content) is { } element)
        {
            json = element;
            return true;
        }

        json = default;
        return false;
    }

    /// <summary>Gets the protocol a kept block or item came from, or <see langword="null"/> when the content was not kept from one.</summary>
    public static string? From(AIContent content) => WireFields.GetString(content, ProtocolKey);

    /// <summary>
    /// Gets the kept JSON: a <see cref="JsonElement"/> object as the mapper set it or a JSON round trip gave it back, or
    /// the same object as a string or a <see cref="JsonObject"/>; <see langword="null"/> when there is none.
    /// </summary>
    private static JsonElement? Json(AIContent content)
    {
        if (content.AdditionalProperties?.TryGetValue(JsonKey, out var value) != true || value is null)
        {
            return null;
        }

        var text = value switch
        {
            JsonElement { ValueKind: JsonValueKind.Object } => null,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            JsonElement element => throw Changed(content, "JSON " + element.ValueKind),
            string s => s,
            JsonObject node => node.ToJsonString(),
            _ => throw Changed(content, value.GetType().Name),
        };

        if (text is null)
        {
            return (JsonElement)value;
        }

        try
        {
            var parsed = JsonElement.Parse(text);
            return parsed.ValueKind == JsonValueKind.Object ? parsed : throw Changed(content, "string that is no JSON object");
        }
        catch (JsonException ex)
        {
            throw Changed(content, "string that is no JSON", ex);
        }
    }

    /// <summary>
    /// Gets the error for <paramref name="content"/>, kept from a protocol whose writer needs its block or item, that
    /// holds none under <see cref="JsonKey"/>: a store kept <see cref="ProtocolKey"/> but dropped the JSON.
    /// </summary>
    public static ArgumentException Lost(AIContent content, int messageIndex) => new(
        $"Message {messageIndex} holds a {content.GetType().Name} kept from the {From(content)} protocol without the block or item it sends back (AdditionalProperties[\"{JsonKey}\"]); the store that kept the history dropped it. Keep the content's AdditionalProperties when storing a conversation.",
        "messages");

    private static ArgumentException Changed(AIContent content, string what, Exception? inner = null) => new(
        $"A {content.GetType().Name} kept from the {From(content)} protocol holds a {what} under AdditionalProperties[\"{JsonKey}\"], where the block or item it sends back must be a JSON object; the store that kept the history changed it.",
        "messages",
        inner);
}
