using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Keeps what a server sent that a request must carry back as it came (a block or item with no Microsoft.Extensions.AI
/// type, a hosted tool's call or result with its encrypted content): the content's <see cref="AIContent.RawRepresentation"/>
/// is the block's or item's JSON as a <see cref="JsonElement"/>, and its <see cref="AIContent.AdditionalProperties"/> name
/// the protocol it came from under <see cref="ProtocolKey"/>, so only that protocol's writer sends it back, verbatim and in
/// its original position; another protocol's writer leaves it out with a Debug log line.
/// </summary>
internal static class WireItems
{
    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key of the protocol a kept block or item came from.</summary>
    public const string ProtocolKey = "yuhuan_protocol";

    /// <summary>Marks <paramref name="content"/> as carrying <paramref name="json"/>, a block or item of <paramref name="protocol"/>, and returns it.</summary>
    /// <param name="content">The content the block or item maps to: a hosted tool content, or a plain <see cref="AIContent"/> when it has no type.</param>
    /// <param name="json">The block's or item's JSON (cloned, so it outlives the buffer it was read from).</param>
    /// <param name="protocol">The protocol's name, as <see cref="Http.IChatProtocol.Name"/> says it.</param>
    public static T Keep<T>(T content, JsonElement json, string protocol)
        where T : AIContent
    {
        content.RawRepresentation = json.ValueKind == JsonValueKind.Undefined ? null : json.Clone();
        (content.AdditionalProperties ??= [])[ProtocolKey] = protocol;
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
    /// from that protocol and its raw representation is still a JSON object.
    /// </summary>
    public static bool TryGetOwn(AIContent content, string protocol, out JsonElement json)
    {
        if (content.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } element && From(content) == protocol)
        {
            json = element;
            return true;
        }

        json = default;
        return false;
    }

    /// <summary>Gets the protocol a kept block or item came from, or <see langword="null"/> when the content was not kept from one.</summary>
    public static string? From(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(ProtocolKey, out var value) == true
            ? value switch
            {
                string name => name,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                _ => null,
            }
            : null;
}
