using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>
/// The <c>reasoning_details</c> entries that <c>ToChatResponse</c> merges into one <see cref="TextReasoningContent"/>:
/// reasoning pieces merge up to and including one with <see cref="TextReasoningContent.ProtectedData"/>, keeping the first
/// piece's properties, so the first piece of a run (its head) carries the run's entries as a JSON array under
/// <see cref="ChatCompletionsKeys.ReasoningDetail"/>, updated as entries arrive, and the pieces after it an empty string.
/// Pieces of one streamed entry (the same <c>index</c> and <c>type</c>) join into that entry: its text and summary
/// concatenated, its other fields (the signature) taken as they come.
/// </summary>
internal sealed class ReasoningDetailsRun
{
    private readonly TextReasoningContent _head;
    private readonly JsonArray _entries = [];

    /// <summary>Initializes a run that starts with <paramref name="head"/>.</summary>
    public ReasoningDetailsRun(TextReasoningContent head) => _head = head;

    /// <summary>Adds the entry <paramref name="piece"/> came from (its JSON) to the run, and marks the piece.</summary>
    public void Add(TextReasoningContent piece, string entryJson)
    {
        var entry = JsonNode.Parse(entryJson)!.AsObject();
        if (_entries.Count > 0 && _entries[^1] is JsonObject last && SameEntry(last, entry))
        {
            foreach (var (name, value) in entry.ToArray())
            {
                entry.Remove(name);
                if (name is "text" or "summary" && last[name] is JsonValue previous && value is JsonValue next
                    && previous.TryGetValue(out string? before) && next.TryGetValue(out string? after))
                {
                    last[name] = before + after;
                }
                else
                {
                    last[name] = value;
                }
            }
        }
        else
        {
            _entries.Add((JsonNode)entry);
        }

        if (!ReferenceEquals(piece, _head))
        {
            (piece.AdditionalProperties ??= [])[ChatCompletionsKeys.ReasoningDetail] = string.Empty;
        }

        (_head.AdditionalProperties ??= [])[ChatCompletionsKeys.ReasoningDetail] = _entries.ToJsonString();
    }

    private static bool SameEntry(JsonObject last, JsonObject entry) =>
        entry["index"] is JsonValue index && last["index"] is JsonValue lastIndex && JsonNode.DeepEquals(index, lastIndex)
        && JsonNode.DeepEquals(entry["type"], last["type"]);
}
