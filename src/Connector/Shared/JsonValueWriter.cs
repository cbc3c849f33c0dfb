using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>Writes the loosely typed values users put in argument and property bags, without reflection where it can.</summary>
internal static class JsonValueWriter
{
    /// <summary>Writes <paramref name="value"/> as JSON.</summary>
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case JsonDocument document:
                document.WriteTo(writer);
                break;
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                writer.WriteStartObject();
                foreach (var pair in dictionary)
                {
                    writer.WritePropertyName(pair.Key);
                    Write(writer, pair.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable<string> strings:
                writer.WriteStartArray();
                foreach (var item in strings)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case IList list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                // Types the shared AI options know (and, where reflection is allowed, any other type).
                JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                break;
        }
    }

    /// <summary>Gets the text a tool result is sent as: strings as they are, anything else as JSON.</summary>
    public static string ToResultText(object? value)
    {
        switch (value)
        {
            case null:
                return string.Empty;
            case string s:
                return s;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return element.GetString()!;
            case JsonElement element:
                return element.GetRawText();
            default:
                using (var scratch = JsonScratch.Rent())
                {
                    Write(scratch.Writer, value);
                    return scratch.ToUtf8String();
                }
        }
    }
}
