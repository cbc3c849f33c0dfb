using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// A canonical text of a sequence of updates: everything a caller can observe (ids, role, finish reason,
/// every content with its fields), with synthesized call ids masked since they are random by design.
/// </summary>
internal static partial class UpdateSignature
{
    public static string Of(IEnumerable<ChatResponseUpdate> updates)
    {
        var builder = new StringBuilder();
        foreach (var update in updates)
        {
            builder.Append("update role=").Append(update.Role?.Value)
                .Append(" response=").Append(update.ResponseId)
                .Append(" message=").Append(update.MessageId)
                .Append(" model=").Append(update.ModelId)
                .Append(" created=").Append(update.CreatedAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
                .Append(" finish=").Append(update.FinishReason?.Value)
                .Append('\n');
            foreach (var content in update.Contents)
            {
                builder.Append("  ").Append(Describe(content)).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>Masks an id the client made up for a call that came without one.</summary>
    public static string MaskSynthesized(string callId) => SynthesizedId().IsMatch(callId) ? "<synthesized>" : callId;

    private static string Describe(AIContent content) => content switch
    {
        TextReasoningContent r => $"reasoning {JsonSerializer.Serialize(r.Text)} protected={r.ProtectedData}",
        TextContent t => $"text {JsonSerializer.Serialize(t.Text)}{Citations(t)}",
        FunctionCallContent c => $"call {MaskSynthesized(c.CallId)} {c.Name} {(c.Arguments is null ? "null" : JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions))} error={c.Exception?.GetType().Name}",
        UsageContent u => $"usage in={u.Details.InputTokenCount} out={u.Details.OutputTokenCount} total={u.Details.TotalTokenCount} cached={u.Details.CachedInputTokenCount} reasoning={u.Details.ReasoningTokenCount} extra={(u.Details.AdditionalCounts is null ? string.Empty : string.Join(',', u.Details.AdditionalCounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)))}",
        ErrorContent e => $"error {JsonSerializer.Serialize(e.Message)} code={e.ErrorCode}",
        _ => content.GetType().Name + Kept(content),
    };

    /// <summary>The citations on a text: address and title of each.</summary>
    private static string Citations(TextContent text) =>
        text.Annotations is { Count: > 0 } annotations
            ? " cites " + string.Join(' ', annotations.OfType<CitationAnnotation>().Select(c => JsonSerializer.Serialize(c.Url?.OriginalString + " " + c.Title)))
            : string.Empty;

    /// <summary>The type of the block or item a kept content carries, and the protocol it names.</summary>
    private static string Kept(AIContent content) =>
        content.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("type", out var type)
            ? $" kept {type.GetRawText()} from {content.AdditionalProperties?.GetValueOrDefault("yuhuan_protocol")}"
            : string.Empty;

    [GeneratedRegex("^call_[0-9a-f]{32}$")]
    private static partial Regex SynthesizedId();
}
