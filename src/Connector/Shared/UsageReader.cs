using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Reads a usage object into <see cref="UsageDetails"/>: the counts Microsoft.Extensions.AI names (by the names the
/// protocol's <see cref="UsageFields"/> give them) go to their properties, every other whole-number count to
/// <see cref="UsageDetails.AdditionalCounts"/> under its (dotted, for nested objects) name.
/// </summary>
internal static class UsageReader
{
    /// <summary>Reads the object at the reader's position (its start token) into <paramref name="usage"/>.</summary>
    public static void Read(ref Utf8JsonReader reader, UsageDetails usage, UsageFields fields) => ReadObject(ref reader, usage, fields, prefix: null);

    /// <summary>Fills in the total when the server left it out.</summary>
    public static void CompleteTotal(UsageDetails usage)
    {
        if (usage.TotalTokenCount is null && usage.InputTokenCount is { } input && usage.OutputTokenCount is { } output)
        {
            usage.TotalTokenCount = input + output;
        }
    }

    private static void ReadObject(ref Utf8JsonReader reader, UsageDetails usage, UsageFields fields, string? prefix)
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
                ReadObject(ref reader, usage, fields, prefix is null ? name : prefix + "." + name);
                continue;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var count))
            {
                reader.Skip();
                continue;
            }

            if (!Assign(usage, fields, name, prefix, count))
            {
                (usage.AdditionalCounts ??= [])[prefix is null ? name : prefix + "." + name] = count;
            }
        }
    }

    private static bool Assign(UsageDetails usage, UsageFields fields, string name, string? prefix, long count)
    {
        if (prefix is null && name == fields.Input)
        {
            usage.InputTokenCount = count;
        }
        else if (prefix is null && name == fields.Output)
        {
            usage.OutputTokenCount = count;
        }
        else if (prefix is null && name == fields.Total)
        {
            usage.TotalTokenCount = count;
        }
        else if (name == fields.CachedInput)
        {
            usage.CachedInputTokenCount = count;
        }
        else if (name == fields.Reasoning)
        {
            usage.ReasoningTokenCount = count;
        }
        else
        {
            return false;
        }

        return true;
    }
}
