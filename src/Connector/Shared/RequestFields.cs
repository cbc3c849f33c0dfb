using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Shared;

/// <summary>
/// Decides which top-level fields of a request body the protocol writer maps and which the user supplies:
/// <see cref="ChatOptions.AdditionalProperties"/> entries become top-level fields that win over mapped ones,
/// and a base body from <see cref="ChatOptions.RawRepresentationFactory"/> fills in every field nobody else wrote.
/// </summary>
internal sealed class RequestFields
{
    private readonly AdditionalPropertiesDictionary? _additional;
    private readonly IEnumerable<KeyValuePair<string, object?>>? _baseBody;
    private readonly HashSet<string>? _written;

    public RequestFields(ChatOptions? options, object? raw)
    {
        _additional = options?.AdditionalProperties is { Count: > 0 } additional ? additional : null;
        _baseBody = raw switch
        {
            null => null,
            JsonObject node => node.Select(static p => new KeyValuePair<string, object?>(p.Key, p.Value)),
            JsonElement { ValueKind: JsonValueKind.Object } element => element.EnumerateObject().Select(static p => new KeyValuePair<string, object?>(p.Name, p.Value)),
            IEnumerable<KeyValuePair<string, object?>> dictionary => dictionary,
            _ => throw new ArgumentException(
                $"ChatOptions.RawRepresentationFactory returned a {raw.GetType().Name}; it must return a JsonObject, a JSON object JsonElement or an IDictionary<string, object?> holding the base request body.",
                nameof(options)),
        };
        if (_baseBody is not null)
        {
            _written = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>Gets a value indicating whether the mapped field should be written; records it as written.</summary>
    public bool Maps(string name)
    {
        if (_additional?.ContainsKey(name) ?? false)
        {
            return false;
        }

        _written?.Add(name);
        return true;
    }

    /// <summary>Gets a value indicating whether the user's fields supply <paramref name="name"/>.</summary>
    public bool Supplies(string name) =>
        (_additional?.ContainsKey(name) ?? false) || (_baseBody?.Any(p => p.Key == name) ?? false);

    /// <summary>Writes the additional properties, then every base field that was not written.</summary>
    public void WriteExtras(Utf8JsonWriter writer)
    {
        if (_additional is not null)
        {
            foreach (var pair in _additional)
            {
                writer.WritePropertyName(pair.Key);
                JsonValueWriter.Write(writer, pair.Value);
                _written?.Add(pair.Key);
            }
        }

        if (_baseBody is not null)
        {
            foreach (var pair in _baseBody)
            {
                if (_written!.Add(pair.Key))
                {
                    writer.WritePropertyName(pair.Key);
                    JsonValueWriter.Write(writer, pair.Value);
                }
            }
        }
    }

}
