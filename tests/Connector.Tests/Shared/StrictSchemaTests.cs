using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>
/// Schemas as the servers take them: Messages structured output closes every object (<c>"additionalProperties": false</c>),
/// as both official SDKs do; a strict schema on Chat Completions and Responses meets OpenAI's strict rules the way
/// Microsoft.Extensions.AI's OpenAI connector makes it, and goes further where that connector stops (objects without
/// properties, <c>$defs</c>).
/// </summary>
public sealed class StrictSchemaTests
{
    /// <summary>Objects at every depth and in every place a schema can nest, a keyword used as a property name, data that looks like a schema.</summary>
    private const string Rich = """
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
    private const string Closed = """
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
    private const string Strict = """
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

    private static readonly JsonElement RichSchema = JsonElement.Parse(Rich);

    [Fact]
    public void Messages_StructuredOutput_EveryObjectClosed()
    {
        var body = Body(MessagesRequestWriter.Write(Request(new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(RichSchema) })));

        JsonAssert.Equal(Closed, body.GetProperty("output_config").GetProperty("format").GetProperty("schema"));
    }

    [Fact]
    public void Messages_StrictTool_EveryObjectClosed_OtherToolsAsGiven()
    {
        var strict = new SchemaFunction("strict_one", RichSchema, strict: true);
        var plain = AIFunctionFactory.CreateDeclaration("plain", null, RichSchema);

        var tools = Body(MessagesRequestWriter.Write(Request(new ChatOptions { Tools = [strict, plain] }))).GetProperty("tools");

        JsonAssert.Equal(Closed, tools[0].GetProperty("input_schema"));
        Assert.True(tools[0].GetProperty("strict").GetBoolean());
        JsonAssert.Equal(Rich, tools[1].GetProperty("input_schema"));
    }

    [Fact]
    public void Messages_StrictJsonSchemaAsked_ToolsStrictAndClosedUnlessTheirOwnSaysNo()
    {
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("f", null, RichSchema), new SchemaFunction("own", RichSchema, strict: false)],
            AdditionalProperties = new() { ["strictJsonSchema"] = true },
        };

        var body = Body(MessagesRequestWriter.Write(Request(options)));

        var tools = body.GetProperty("tools");
        JsonAssert.Equal(Closed, tools[0].GetProperty("input_schema"));
        Assert.True(tools[0].GetProperty("strict").GetBoolean());
        JsonAssert.Equal(Rich, tools[1].GetProperty("input_schema"));
        Assert.False(tools[1].GetProperty("strict").GetBoolean());
        Assert.False(body.TryGetProperty("strictJsonSchema", out _));
    }

    [Fact]
    public void ChatCompletions_StrictResponseFormatAndTools_EveryPropertyRequiredRules()
    {
        var body = Body(ChatCompletionsRequestWriter.Write(Request(StrictOptions())));

        JsonAssert.Equal(Strict, body.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema"));
        JsonAssert.Equal(Strict, body.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters"));
    }

    [Fact]
    public void Responses_StrictTextFormatAndTools_EveryPropertyRequiredRules()
    {
        var body = Body(ResponsesRequestWriter.Write(Request(StrictOptions())));

        JsonAssert.Equal(Strict, body.GetProperty("text").GetProperty("format").GetProperty("schema"));
        JsonAssert.Equal(Strict, body.GetProperty("tools")[0].GetProperty("parameters"));
    }

    [Fact]
    public void ChatCompletionsAndResponses_NotStrict_SchemaAsGiven()
    {
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(RichSchema, "rich"),
            Tools = [AIFunctionFactory.CreateDeclaration("f", null, RichSchema)],
        };

        var chat = Body(ChatCompletionsRequestWriter.Write(Request(options)));
        var responses = Body(ResponsesRequestWriter.Write(Request(options)));

        JsonAssert.Equal(Rich, chat.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema"));
        JsonAssert.Equal(Rich, chat.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters"));
        JsonAssert.Equal(Rich, responses.GetProperty("text").GetProperty("format").GetProperty("schema"));
        JsonAssert.Equal(Rich, responses.GetProperty("tools")[0].GetProperty("parameters"));
    }

    [Fact]
    public void Strict_FunctionsOwnStrictFalse_SchemaAsGiven()
    {
        var own = new SchemaFunction("f", RichSchema, strict: false);
        var options = new ChatOptions { Tools = [own], AdditionalProperties = new() { ["strictJsonSchema"] = true } };

        var chat = Body(ChatCompletionsRequestWriter.Write(Request(options)));

        JsonAssert.Equal(Rich, chat.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters"));
    }

    [Fact]
    public void Strict_ExistingDescriptionOfAMovedKeyword_TextAppendedOnANewLine()
    {
        var schema = JsonElement.Parse("""{"type":"object","properties":{"n":{"type":"integer","description":"Count.","maximum":9,"multipleOf":3}}}""");
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema), AdditionalProperties = new() { ["strictJsonSchema"] = true } };

        var body = Body(ChatCompletionsRequestWriter.Write(Request(options)));

        JsonAssert.Equal(
            """{"type":"object","properties":{"n":{"type":"integer","description":"Count.\nmaximum: 9\nmultipleOf: 3"}},"additionalProperties":false,"required":["n"]}""",
            body.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema"));
    }

    [Theory]
    [InlineData("""{"type":["object","null"]}""", """{"type":["object","null"],"additionalProperties":false}""")]
    [InlineData("""{"items":[{"type":"object"},true]}""", """{"items":[{"type":"object","additionalProperties":false},true]}""")]
    [InlineData("""{"prefixItems":[{"properties":{}}],"not":{"type":"object"}}""", """{"prefixItems":[{"properties":{},"additionalProperties":false}],"not":{"type":"object","additionalProperties":false}}""")]
    [InlineData("""{"type":"object","additionalProperties":{"type":"object"}}""", """{"type":"object","additionalProperties":{"type":"object","additionalProperties":false}}""")]
    [InlineData("""{"definitions":{"A":{"type":"object"}},"enum":[{"type":"object"}],"const":{"type":"object"},"examples":[{"type":"object"}]}""", """{"definitions":{"A":{"type":"object","additionalProperties":false}},"enum":[{"type":"object"}],"const":{"type":"object"},"examples":[{"type":"object"}]}""")]
    [InlineData("true", "true")]
    public void ClosedObjects_EveryPlaceASchemaNests_DataLeftAlone(string schema, string expected) =>
        JsonAssert.Equal(expected, Written(schema, StrictSchemaRules.ClosedObjects));

    [Theory]
    [InlineData("true", "{}")]
    [InlineData("false", """{"description":"not: true"}""")]
    [InlineData("""{"type":"object","properties":{"a":false},"required":[]}""", """{"type":"object","properties":{"a":{"description":"not: true"}},"additionalProperties":false,"required":["a"]}""")]
    [InlineData("""{"type":"array","items":{"type":"string","enum":["a","b"]},"uniqueItems":true}""", """{"type":"array","items":{"type":"string","enum":["a","b"]},"description":"uniqueItems: true"}""")]
    [InlineData("""{"type":"string","default":null,"pattern":"^a"}""", """{"type":"string","description":"Default value: null\npattern: ^a"}""")]
    public void EveryPropertyRequired_BooleanSchemasAndMovedKeywords(string schema, string expected) =>
        JsonAssert.Equal(expected, Written(schema, StrictSchemaRules.EveryPropertyRequired));

    private static string Written(string schema, StrictSchemaRules rules)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            StrictSchema.Write(writer, JsonElement.Parse(schema), rules);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static ChatOptions StrictOptions() => new()
    {
        ResponseFormat = ChatResponseFormat.ForJsonSchema(RichSchema, "rich"),
        Tools = [AIFunctionFactory.CreateDeclaration("f", null, RichSchema)],
        AdditionalProperties = new() { ["strictJsonSchema"] = true },
    };

    private static ChatRequest Request(ChatOptions options) => new() { Messages = [new ChatMessage(ChatRole.User, "hi")], Options = options, Model = "m" };

    private static JsonElement Body(ReadOnlyMemory<byte> body) => JsonElement.Parse(body.Span);
}
