using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>Writes the fields every protocol's function tool definition shares; each protocol names the schema field its own way.</summary>
internal static class FunctionToolWriter
{
    /// <summary>
    /// Writes <c>name</c>, <c>description</c> (when there is one), the schema under <paramref name="schemaField"/>, and
    /// <c>strict</c>: the function's own <c>strict</c> property, else <paramref name="strict"/> when that is not <see langword="null"/>.
    /// The schema of a strict function meets <paramref name="rules"/>; any other goes as it is.
    /// </summary>
    public static void WriteFields(Utf8JsonWriter writer, AIFunctionDeclaration function, ReadOnlySpan<byte> schemaField, StrictSchemaRules rules, bool? strict = null)
    {
        writer.WriteString("name"u8, function.Name);
        if (!string.IsNullOrEmpty(function.Description))
        {
            writer.WriteString("description"u8, function.Description);
        }

        if (function.AdditionalProperties.TryGetValue("strict", out var own) && own is bool ownValue)
        {
            strict = ownValue;
        }

        writer.WritePropertyName(schemaField);
        if (strict == true)
        {
            StrictSchema.Write(writer, function.JsonSchema, rules);
        }
        else
        {
            function.JsonSchema.WriteTo(writer);
        }

        if (strict is { } value)
        {
            writer.WriteBoolean("strict"u8, value);
        }
    }
}
