using System.Text.Json;

namespace YuHuan.Connector.Testing;

/// <summary>The fields of a Responses request that decide what the emulator keeps and echoes.</summary>
/// <param name="Store">Whether the response is stored: <see langword="true"/> unless the request says <c>"store": false</c>.</param>
/// <param name="Background">Whether the request says <c>"background": true</c>.</param>
/// <param name="PreviousResponseId">The <c>previous_response_id</c> the request names, or <see langword="null"/>.</param>
internal sealed record ResponsesRequestFields(bool Store, bool Background, string? PreviousResponseId)
{
    /// <summary>Reads the fields from a request body; anything that is not a JSON object sets none of them.</summary>
    public static ResponsesRequestFields Read(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return new(Store: true, Background: false, PreviousResponseId: null);
        }

        var store = !(request.TryGetProperty("store", out var s) && s.ValueKind == JsonValueKind.False);
        var background = request.TryGetProperty("background", out var b) && b.ValueKind == JsonValueKind.True;
        var previous = request.TryGetProperty("previous_response_id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return new(store, background, previous);
    }
}
