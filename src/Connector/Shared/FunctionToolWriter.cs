using System.Text.Json;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>Writes the fields every protocol's function tool definition shares; each protocol names the schema field its own way.</summary>
internal static class FunctionToolWriter
{
    /// <summary>Writes <c>name</c>, <c>description</c> (when there is one), the schema under <paramref name="schemaField"/>, and <c>strict</c> when the function sets it.</summary>
    public static void WriteFields(Utf8JsonWriter writer, AIFunctionDeclaration function, ReadOnlySpan<byte> schemaField)
    {
        writer.WriteString("name"u8, function.Name);
        if (!string.IsNullOrEmpty(function.Description))
        {
            writer.WriteString("description"u8, function.Description);
        }

        writer.WritePropertyName(schemaField);
        function.JsonSchema.WriteTo(writer);
        if (function.AdditionalProperties.TryGetValue("strict", out var strict) && strict is bool strictValue)
        {
            writer.WriteBoolean("strict"u8, strictValue);
        }
    }
}
