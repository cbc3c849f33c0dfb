using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Writes the loosely typed values users put in argument and property bags, without reflection where it can. A value
/// that cannot be written (a cycle, a <see cref="Type"/>, a delegate, a <see cref="Stream"/>, a getter that throws) is an
/// <see cref="ArgumentException"/> naming where the value came from, never a raw serializer exception.
/// </summary>
internal static class JsonValueWriter
{
    private const int MaxDepth = 64;

    /// <summary>Writes <paramref name="value"/> as JSON; <paramref name="what"/> and <paramref name="name"/> say where it came from (for example "The additional property", "temperature").</summary>
    /// <exception cref="ArgumentException">The value cannot be written as JSON.</exception>
    public static void Write(Utf8JsonWriter writer, object? value, string what, string? name)
    {
        try
        {
            Write(writer, value, depth: 0);
        }
        catch (Exception ex) when (ex is not ArgumentException and not OutOfMemoryException)
        {
            throw Unwritable(what, name, ex);
        }
    }

    private static ArgumentException Unwritable(string what, string? name, Exception ex) =>
        new($"{what}{(name is null ? string.Empty : " '" + name + "'")} cannot be written as JSON: {ex.Message}", ex);

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"it is nested more than {MaxDepth} levels deep, or refers to itself");
        }

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
                    Write(writer, pair.Value, depth + 1);
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
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case Type or Delegate or Stream:
                throw new NotSupportedException($"a {value.GetType().Name} is not data");
            default:
                // Types the shared AI options know (and, where reflection is allowed, any other type).
                JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                break;
        }
    }

    /// <summary>Gets the text a tool result is sent as: strings as they are, anything else as JSON.</summary>
    /// <exception cref="ArgumentException">The result cannot be written as JSON; the message names the call.</exception>
    public static string ToResultText(object? value, string callId)
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
                    Write(scratch.Writer, value, "The result of tool call", callId);
                    return scratch.ToUtf8String();
                }
        }
    }
}
