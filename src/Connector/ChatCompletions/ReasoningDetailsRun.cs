using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>
/// The <c>reasoning_details</c> entries that <c>ToChatResponse</c> merges into one <see cref="TextReasoningContent"/>:
/// reasoning pieces merge up to and including one with <see cref="TextReasoningContent.ProtectedData"/>, keeping the first
/// piece's properties, so the first piece of a run (its head) carries the run's entries as a JSON array under
/// <see cref="ChatCompletionsKeys.ReasoningDetail"/>, updated as entries arrive, and the pieces after it an empty string.
/// Pieces of one streamed entry (the same <c>index</c> and <c>type</c>) join into that entry: its text and summary
/// concatenated, its other fields (the signature) taken as they come. Plain reasoning pieces (<c>reasoning_content</c>)
/// that came before the first entry merge with it too, so the run then starts at the first of them (see
/// <see cref="After"/>).
/// </summary>
internal sealed class ReasoningDetailsRun
{
    private readonly TextReasoningContent _head;
    private readonly JsonArray _entries = [];

    /// <summary>The text of the plain pieces the run starts with, until the first entry takes it.</summary>
    private string? _leadingText;

    /// <summary>Initializes a run that starts with <paramref name="head"/>.</summary>
    public ReasoningDetailsRun(TextReasoningContent head) => _head = head;

    /// <summary>
    /// Starts a run at the first of <paramref name="plainPieces"/>, reasoning that came without an entry (only as
    /// <c>reasoning_content</c>, a server that puts the signature on the last piece): the first entry added takes their
    /// text in front of its own when it is a <c>reasoning.text</c> entry, as pieces of one entry join; before an entry of
    /// another kind their text goes back as a <c>reasoning.text</c> entry of its own.
    /// </summary>
    public static ReasoningDetailsRun After(IReadOnlyList<TextReasoningContent> plainPieces)
    {
        var run = new ReasoningDetailsRun(plainPieces[0]) { _leadingText = string.Concat(plainPieces.Select(piece => piece.Text)) };
        foreach (var piece in plainPieces.Skip(1))
        {
            (piece.AdditionalProperties ??= [])[ChatCompletionsKeys.ReasoningDetail] = string.Empty;
        }

        return run;
    }

    /// <summary>Adds the entry <paramref name="piece"/> came from (its JSON) to the run, and marks the piece.</summary>
    public void Add(TextReasoningContent piece, string entryJson)
    {
        var entry = JsonNode.Parse(entryJson)!.AsObject();
        if (_leadingText is { } leading)
        {
            _leadingText = null;
            if (entry["type"] is JsonValue type && type.TryGetValue(out string? kind) && kind == "reasoning.text"
                && (entry["text"] is null || (entry["text"] is JsonValue value && value.TryGetValue(out string? _))))
            {
                entry["text"] = leading + (string?)entry["text"];
            }
            else if (leading.Length > 0)
            {
                _entries.Add((JsonNode)new JsonObject { ["type"] = "reasoning.text", ["text"] = leading });
            }
        }

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
