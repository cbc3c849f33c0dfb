using System.Text;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Responses;

/// <summary>
/// What the Responses mapper knows of one output item, found by its <c>output_index</c> (never by its item id, which some
/// servers rotate on every event).
/// </summary>
internal sealed class ResponsesOutputItem
{
    /// <summary>Initializes the state of the item at <paramref name="index"/>.</summary>
    public ResponsesOutputItem(int index) => Index = index;

    /// <summary>Gets the item's <c>output_index</c>.</summary>
    public int Index { get; }

    /// <summary>Gets or sets the kind, once an item object said it.</summary>
    public ResponsesItemKind Kind { get; set; }

    /// <summary>Gets or sets the first id seen for the item; its updates' <see cref="Microsoft.Extensions.AI.ChatResponseUpdate.MessageId"/>.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets a value indicating whether this mapper saw the item's <c>output_item.added</c>.</summary>
    public bool SawAdded { get; set; }

    /// <summary>Gets or sets a value indicating whether answer text of the item went out from its deltas.</summary>
    public bool GotText { get; set; }

    /// <summary>Gets or sets a value indicating whether reasoning of the item went out from its deltas.</summary>
    public bool GotReasoning { get; set; }

    /// <summary>Gets or sets a value indicating whether a reasoning piece of the item went out (the first carries the item id).</summary>
    public bool ReasoningStarted { get; set; }

    /// <summary>Gets or sets the refusal text received in deltas and not reported yet.</summary>
    public StringBuilder? Refusal { get; set; }

    /// <summary>Gets or sets a value indicating whether the item's refusal was reported.</summary>
    public bool RefusalReported { get; set; }

    /// <summary>Gets or sets a value indicating whether the item is complete (<c>output_item.done</c> or the terminal event).</summary>
    public bool Done { get; set; }

    /// <summary>Gets or sets the item's <c>call_id</c>, for a function call: the wire's, then the one the call went out as (synthesized when the wire had none).</summary>
    public string? CallId { get; set; }

    /// <summary>Gets or sets the item's fields the mapping does not use, as a JSON object (see <see cref="Shared.UnusedFields"/>).</summary>
    public string? Fields { get; set; }

    /// <summary>Gets or sets a value indicating whether <see cref="Fields"/> went out on the item's first text or reasoning piece.</summary>
    public bool FieldsGiven { get; set; }

    /// <summary>Gets or sets a value indicating whether the terminal event's output named this item.</summary>
    public bool Matched { get; set; }

    /// <summary>Gets or sets contents of the item that wait for an item before it (by <c>output_index</c>) to complete.</summary>
    public List<AIContent>? Held { get; set; }

    /// <summary>Gets the fingerprint of the text and reasoning that went out for the item, to know it again in the terminal output when ids rotate.</summary>
    public TextFingerprint Text { get; } = new();

    /// <summary>Gets the fingerprint of the JSON of an item kept as it came (a hosted tool's, which has no text), to know it again the same way.</summary>
    public TextFingerprint Json { get; } = new();
}
