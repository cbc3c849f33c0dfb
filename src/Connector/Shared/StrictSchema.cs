using System.Text;
using System.Text.Json;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Writes a JSON schema so that a server's strict mode takes it (<see cref="StrictSchemaRules"/>), rewriting it as it is
/// written: every schema nested anywhere (<c>properties</c>, <c>items</c>, <c>prefixItems</c>, <c>$defs</c>,
/// <c>anyOf</c>, <c>not</c>, …) gets the same rules, while values that are data (<c>default</c>, <c>enum</c>,
/// <c>const</c>, <c>examples</c>) and the names of properties are never taken for schemas.
/// </summary>
/// <remarks>
/// An object schema is one whose <c>type</c> is or includes <c>object</c>, or that has <c>properties</c>. One that states
/// its own <c>additionalProperties</c> keeps it: the caller's explicit choice is sent, and the server says whether it
/// takes it. Under <see cref="StrictSchemaRules.EveryPropertyRequired"/>, Microsoft.Extensions.AI's OpenAI connector (10.11) leaves
/// <c>$defs</c> and objects without <c>properties</c> open; these rules close them too, since OpenAI's strict mode
/// refuses an open object wherever it stands.
/// </remarks>
internal static class StrictSchema
{
    /// <summary>Keywords whose value is one schema (<c>items</c> may also be an array of them, in older drafts).</summary>
    private static readonly HashSet<string> SchemaKeywords = new(StringComparer.Ordinal)
    {
        "items", "additionalItems", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties",
    };

    /// <summary>Keywords whose value is an array of schemas.</summary>
    private static readonly HashSet<string> SchemaArrayKeywords = new(StringComparer.Ordinal) { "anyOf", "oneOf", "allOf", "prefixItems" };

    /// <summary>Keywords whose value maps names to schemas.</summary>
    private static readonly HashSet<string> SchemaMapKeywords = new(StringComparer.Ordinal)
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
    };

    /// <summary>
    /// Keywords OpenAI's strict mode refuses with some models (its structured-output guide and Azure OpenAI's list), moved
    /// into the description under <see cref="StrictSchemaRules.EveryPropertyRequired"/>, in this order.
    /// </summary>
    private static readonly string[] RefusedKeywords =
    [
        "contentEncoding", "contentMediaType", "not",
        "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "multipleOf", "patternProperties", "minItems", "maxItems",
        "unevaluatedProperties", "propertyNames", "minProperties", "maxProperties", "unevaluatedItems", "contains", "minContains",
        "maxContains", "uniqueItems",
    ];

    /// <summary>Writes <paramref name="schema"/> meeting <paramref name="rules"/>.</summary>
    public static void Write(Utf8JsonWriter writer, JsonElement schema, StrictSchemaRules rules) => WriteSchema(writer, schema, rules);

    private static void WriteSchema(Utf8JsonWriter writer, JsonElement schema, StrictSchemaRules rules)
    {
        var strict = rules == StrictSchemaRules.EveryPropertyRequired;
        switch (schema.ValueKind)
        {
            case JsonValueKind.True when strict:
                // A boolean schema as an object: true accepts anything.
                writer.WriteStartObject();
                writer.WriteEndObject();
                return;
            case JsonValueKind.False when strict:
                // false is {"not": true}, and "not" is one of the refused keywords, moved to the description.
                writer.WriteStartObject();
                writer.WriteString("description"u8, "not: true"u8);
                writer.WriteEndObject();
                return;
            case not JsonValueKind.Object:
                schema.WriteTo(writer);
                return;
        }

        var moved = strict ? MovedToDescription(schema) : null;
        var properties = schema.TryGetProperty("properties"u8, out var map) && map.ValueKind == JsonValueKind.Object ? map : (JsonElement?)null;
        string? description = null;
        var closes = properties is not null || IsObjectType(schema);
        writer.WriteStartObject();
        foreach (var keyword in schema.EnumerateObject())
        {
            var name = keyword.Name;
            var value = keyword.Value;
            if (moved is not null)
            {
                if (name == "description")
                {
                    // Written last, with what was moved into it.
                    description = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    continue;
                }

                if (name == "default" || Array.IndexOf(RefusedKeywords, name) >= 0)
                {
                    continue;
                }
            }

            if (strict && properties is not null && name == "required")
            {
                // Replaced by every property's name, below.
                continue;
            }

            if (name == "additionalProperties")
            {
                closes = false;
            }

            writer.WritePropertyName(name);
            if (SchemaMapKeywords.Contains(name) && value.ValueKind == JsonValueKind.Object)
            {
                writer.WriteStartObject();
                foreach (var entry in value.EnumerateObject())
                {
                    writer.WritePropertyName(entry.Name);
                    WriteSchema(writer, entry.Value, rules);
                }

                writer.WriteEndObject();
            }
            else if ((SchemaArrayKeywords.Contains(name) || name == "items") && value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteSchema(writer, item, rules);
                }

                writer.WriteEndArray();
            }
            else if (SchemaKeywords.Contains(name) && !(name == "additionalProperties" && value.ValueKind is JsonValueKind.True or JsonValueKind.False))
            {
                WriteSchema(writer, value, rules);
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        if (closes)
        {
            writer.WriteBoolean("additionalProperties"u8, false);
        }

        if (strict && properties is { } all)
        {
            writer.WritePropertyName("required"u8);
            writer.WriteStartArray();
            foreach (var property in all.EnumerateObject())
            {
                writer.WriteStringValue(property.Name);
            }

            writer.WriteEndArray();
        }

        if (moved is not null)
        {
            writer.WriteString("description"u8, Describe(description, moved));
        }

        writer.WriteEndObject();
    }

    private static bool IsObjectType(JsonElement schema)
    {
        if (!schema.TryGetProperty("type"u8, out var type))
        {
            return false;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.ValueEquals("object"u8);
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.ValueEquals("object"u8))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Gets the keywords of <paramref name="schema"/> to move into its description (<c>default</c> first, then the refused ones in their order), or <see langword="null"/> for none.</summary>
    private static List<(string Name, JsonElement Value)>? MovedToDescription(JsonElement schema)
    {
        List<(string, JsonElement)>? moved = null;
        if (schema.TryGetProperty("default"u8, out var value))
        {
            (moved ??= []).Add(("default", value));
        }

        foreach (var name in RefusedKeywords)
        {
            if (schema.TryGetProperty(name, out value))
            {
                (moved ??= []).Add((name, value));
            }
        }

        return moved;
    }

    /// <summary>The description with one line per moved keyword: <c>Default value: "x"</c> (as JSON), <c>minLength: 1</c> (a string without quotes).</summary>
    private static string Describe(string? description, List<(string Name, JsonElement Value)> moved)
    {
        var text = new StringBuilder(description);
        foreach (var (name, value) in moved)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            if (name == "default")
            {
                text.Append("Default value: ").Append(Compact(value));
            }
            else
            {
                text.Append(name).Append(": ").Append(value.ValueKind == JsonValueKind.String ? value.GetString() : Compact(value));
            }
        }

        return text.ToString();
    }

    private static string Compact(JsonElement value)
    {
        using var scratch = JsonScratch.Rent();
        value.WriteTo(scratch.Writer);
        return scratch.ToUtf8String();
    }
}
