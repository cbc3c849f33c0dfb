using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>The schemas, options and request of the strict-schema tests every protocol's folder runs on its own writer.</summary>
internal static class StrictSchemaData
{
    /// <summary>Objects at every depth and in every place a schema can nest, a keyword used as a property name, data that looks like a schema.</summary>
    public const string Rich = """
        {"type":"object","description":"Root","properties":{
          "name":{"type":"string","minLength":1,"default":"x"},
          "age":{"type":["integer","null"],"minimum":0},
          "addr":{"type":"object","properties":{"city":{"type":"string","format":"uri"}}},
          "tags":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}},"minItems":1},
          "any":true,
          "empty":{"type":"object"},
          "u":{"anyOf":[{"type":"object","properties":{"a":{"type":"string"}}},{"type":"null"}]},
          "r":{"$ref":"#/$defs/Node"},
          "open":{"type":"object","properties":{"z":{"type":"string"}},"additionalProperties":true},
          "properties":{"type":"object","properties":{"type":{"type":"string"}},"default":{"type":"object","properties":{}}}
         },
         "required":["name"],
         "$defs":{"Node":{"type":"object","properties":{"v":{"type":"string"}}}}
        }
        """;

    /// <summary><see cref="Rich"/> with every object closed and nothing else changed.</summary>
    public const string Closed = """
        {"type":"object","description":"Root","properties":{
          "name":{"type":"string","minLength":1,"default":"x"},
          "age":{"type":["integer","null"],"minimum":0},
          "addr":{"type":"object","properties":{"city":{"type":"string","format":"uri"}},"additionalProperties":false},
          "tags":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}},"additionalProperties":false},"minItems":1},
          "any":true,
          "empty":{"type":"object","additionalProperties":false},
          "u":{"anyOf":[{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false},{"type":"null"}]},
          "r":{"$ref":"#/$defs/Node"},
          "open":{"type":"object","properties":{"z":{"type":"string"}},"additionalProperties":true},
          "properties":{"type":"object","properties":{"type":{"type":"string"}},"default":{"type":"object","properties":{}},"additionalProperties":false}
         },
         "required":["name"],
         "$defs":{"Node":{"type":"object","properties":{"v":{"type":"string"}},"additionalProperties":false}},
         "additionalProperties":false
        }
        """;

    /// <summary>
    /// <see cref="Rich"/> under OpenAI's strict rules, as Microsoft.Extensions.AI's OpenAI connector (10.11) sends it: objects
    /// closed, every property required, boolean schemas as objects, <c>default</c> and the keywords some models refuse
    /// moved into the description. Beyond it: the object without properties and the <c>$defs</c> are closed too, and an
    /// explicit <c>additionalProperties</c> stays as given.
    /// </summary>
    public const string Strict = """
        {"type":"object","description":"Root","properties":{
          "name":{"type":"string","description":"Default value: \"x\"\nminLength: 1"},
          "age":{"type":["integer","null"],"description":"minimum: 0"},
          "addr":{"type":"object","properties":{"city":{"type":"string","description":"format: uri"}},"additionalProperties":false,"required":["city"]},
          "tags":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}},"additionalProperties":false,"required":["k"]},"description":"minItems: 1"},
          "any":{},
          "empty":{"type":"object","additionalProperties":false},
          "u":{"anyOf":[{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false,"required":["a"]},{"type":"null"}]},
          "r":{"$ref":"#/$defs/Node"},
          "open":{"type":"object","properties":{"z":{"type":"string"}},"additionalProperties":true,"required":["z"]},
          "properties":{"type":"object","properties":{"type":{"type":"string"}},"additionalProperties":false,"required":["type"],"description":"Default value: {\"type\":\"object\",\"properties\":{}}"}
         },
         "required":["name","age","addr","tags","any","empty","u","r","open","properties"],
         "$defs":{"Node":{"type":"object","properties":{"v":{"type":"string"}},"additionalProperties":false,"required":["v"]}},
         "additionalProperties":false
        }
        """;

    public static readonly JsonElement RichSchema = JsonElement.Parse(Rich);

    public static ChatOptions StrictOptions() => new()
    {
        ResponseFormat = ChatResponseFormat.ForJsonSchema(RichSchema, "rich"),
        Tools = [AIFunctionFactory.CreateDeclaration("f", null, RichSchema)],
        AdditionalProperties = new() { ["strictJsonSchema"] = true },
    };

    public static ChatRequest Request(ChatOptions options) => new() { Messages = [new ChatMessage(ChatRole.User, "hi")], Options = options, Model = "m" };

    public static JsonElement Body(ReadOnlyMemory<byte> body) => JsonElement.Parse(body.Span);
}
