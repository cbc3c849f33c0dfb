using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Decides, for each top-level field of a request body, who supplies it: the protocol writer (mapping
/// <see cref="ChatOptions"/> and the messages), the base body from <see cref="ChatOptions.RawRepresentationFactory"/>,
/// or <see cref="ChatOptions.AdditionalProperties"/>.
/// </summary>
/// <remarks>
/// <para>
/// Precedence follows Microsoft.Extensions.AI's convention for <see cref="ChatOptions.RawRepresentationFactory"/>:
/// a field the base body sets is kept, and a mapped field fills only what the base body leaves unset.
/// <see cref="ChatOptions.AdditionalProperties"/> entries come last and win over both. From lowest to highest:
/// mapped fields, base body, additional properties.
/// </para>
/// <para>
/// Every name is written once. The body holds the mapped fields nobody else supplies (in the writer's order),
/// then the base body's fields that no additional property replaces (in the base body's order), then the additional
/// properties. A base body that repeats a name (a <see cref="JsonElement"/> can) counts with its last value, as
/// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> reads it.
/// </para>
/// <para>
/// The base body may be a <see cref="JsonObject"/>, a <see cref="JsonElement"/> holding an object, or an
/// <see cref="IDictionary{TKey, TValue}"/> of <see cref="string"/> to <see cref="object"/> (any sequence of such pairs).
/// Its names are compared ordinally; <see cref="AdditionalPropertiesDictionary"/> compares its own keys as it does.
/// </para>
/// </remarks>
internal sealed class RequestFields
{
    /// <summary>
    /// The <see cref="ChatOptions.AdditionalProperties"/> key (Microsoft.Extensions.AI's own) of a <see cref="bool"/> that
    /// asks for strict JSON schemas, of tools and of structured output; it is an option, never written as a field.
    /// </summary>
    public const string StrictJsonSchemaKey = "strictJsonSchema";

    private readonly AdditionalPropertiesDictionary? _additional;
    private readonly OrderedDictionary<string, object?>? _baseBody;

    /// <summary>Initializes a new instance of the <see cref="RequestFields"/> class.</summary>
    /// <exception cref="ArgumentException"><paramref name="raw"/> is not a shape a base body can have.</exception>
    public RequestFields(ChatOptions? options, object? raw)
    {
        _additional = options?.AdditionalProperties is { Count: > 0 } additional ? additional : null;
        if (_additional is not null && _additional.TryGetValue(StrictJsonSchemaKey, out var strict))
        {
            StrictJsonSchema = strict switch
            {
                bool flag => flag,
                JsonElement { ValueKind: JsonValueKind.True } => true,
                JsonElement { ValueKind: JsonValueKind.False } => false,
                JsonValue node when node.TryGetValue(out bool flag) => flag,
                _ => throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{StrictJsonSchemaKey}\"] must be a bool.", nameof(options)),
            };
        }

        switch (raw)
        {
            case null:
                break;
            case JsonObject node:
                _baseBody = new OrderedDictionary<string, object?>(node.Count, StringComparer.Ordinal);
                foreach (var pair in node)
                {
                    _baseBody[pair.Key] = pair.Value;
                }

                break;
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                _baseBody = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    _baseBody[property.Name] = property.Value;
                }

                break;
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                _baseBody = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var pair in dictionary)
                {
                    _baseBody[pair.Key] = pair.Value;
                }

                break;
            default:
                throw new ArgumentException(
                    $"ChatOptions.RawRepresentationFactory returned a {raw.GetType().Name}; it must return a JsonObject, a JSON object JsonElement or an IDictionary<string, object?> holding the base request body.",
                    nameof(options));
        }
    }

    /// <summary>
    /// Gets whether the caller asked for strict JSON schemas (<see cref="StrictJsonSchemaKey"/> in the additional
    /// properties), or <see langword="null"/> when it did not say.
    /// </summary>
    public bool? StrictJsonSchema { get; }

    /// <summary>Gets a value indicating whether the writer should write the mapped field: neither the base body nor the additional properties supply it.</summary>
    public bool Maps(string name) => !Supplies(name);

    /// <inheritdoc cref="Maps(string)"/>
    public bool Maps(JsonEncodedText name) => !Supplies(name.Value);

    /// <summary>
    /// Writes the property name of the mapped field <paramref name="name"/> and returns <see langword="true"/>, for the
    /// caller to write its value; returns <see langword="false"/>, writing nothing, when another source supplies it.
    /// </summary>
    public bool TryWriteName(Utf8JsonWriter writer, JsonEncodedText name)
    {
        if (!Maps(name))
        {
            return false;
        }

        writer.WritePropertyName(name);
        return true;
    }

    /// <summary>Gets a value indicating whether the base body or the additional properties supply <paramref name="name"/>.</summary>
    public bool Supplies(string name) =>
        (name != StrictJsonSchemaKey && (_additional?.ContainsKey(name) ?? false)) || (_baseBody?.ContainsKey(name) ?? false);

    /// <summary>Gets the value that goes out for <paramref name="name"/> when someone other than the writer supplies it: the additional property's, else the base body's.</summary>
    /// <returns><see langword="true"/> when the additional properties or the base body supply <paramref name="name"/>.</returns>
    public bool TryGetSupplied(string name, out object? value)
    {
        if (_additional is not null && _additional.TryGetValue(name, out value))
        {
            return true;
        }

        if (_baseBody is not null && _baseBody.TryGetValue(name, out value))
        {
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Writes the base body's fields that no additional property replaces, then the additional properties.</summary>
    public void WriteExtras(Utf8JsonWriter writer)
    {
        if (_baseBody is not null)
        {
            foreach (var pair in _baseBody)
            {
                if (!(_additional?.ContainsKey(pair.Key) ?? false))
                {
                    writer.WritePropertyName(pair.Key);
                    JsonValueWriter.Write(writer, pair.Value, "The field of the base body from ChatOptions.RawRepresentationFactory", pair.Key);
                }
            }
        }

        if (_additional is not null)
        {
            foreach (var pair in _additional)
            {
                if (pair.Key == StrictJsonSchemaKey)
                {
                    continue;
                }

                writer.WritePropertyName(pair.Key);
                JsonValueWriter.Write(writer, pair.Value, "ChatOptions.AdditionalProperties entry", pair.Key);
            }
        }
    }
}
