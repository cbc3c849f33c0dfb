using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Reads a usage object of any of the gateway's protocols into <see cref="UsageDetails"/>: the counts
/// Microsoft.Extensions.AI names go to their properties, every other whole-number count to
/// <see cref="UsageDetails.AdditionalCounts"/> under its (dotted, for nested objects) name.
/// </summary>
internal static class UsageReader
{
    /// <summary>Reads the object at the reader's position (its start token) into <paramref name="usage"/>.</summary>
    public static void Read(ref Utf8JsonReader reader, UsageDetails usage) => ReadObject(ref reader, usage, prefix: null);

    /// <summary>Fills in the total when the server left it out.</summary>
    public static void CompleteTotal(UsageDetails usage)
    {
        if (usage.TotalTokenCount is null && usage.InputTokenCount is { } input && usage.OutputTokenCount is { } output)
        {
            usage.TotalTokenCount = input + output;
        }
    }

    private static void ReadObject(ref Utf8JsonReader reader, UsageDetails usage, string? prefix)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadObject(ref reader, usage, prefix is null ? name : prefix + "." + name);
                continue;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var count))
            {
                reader.Skip();
                continue;
            }

            if (!Assign(usage, name, prefix, count))
            {
                (usage.AdditionalCounts ??= [])[prefix is null ? name : prefix + "." + name] = count;
            }
        }
    }

    private static bool Assign(UsageDetails usage, string name, string? prefix, long count)
    {
        switch (name)
        {
            case "prompt_tokens" or "input_tokens" when prefix is null:
                usage.InputTokenCount = count;
                return true;
            case "completion_tokens" or "output_tokens" when prefix is null:
                usage.OutputTokenCount = count;
                return true;
            case "total_tokens" when prefix is null:
                usage.TotalTokenCount = count;
                return true;
            case "cached_tokens" or "cache_read_input_tokens":
                usage.CachedInputTokenCount = count;
                return true;
            case "reasoning_tokens":
                usage.ReasoningTokenCount = count;
                return true;
            default:
                return false;
        }
    }
}
