using System.Text.Json;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>
/// <see cref="StrictSchema"/> itself: where objects nest and are closed, and how OpenAI's strict rules rewrite boolean
/// schemas and the keywords some models refuse. Each protocol's folder checks its writer puts the schemas where the
/// protocol takes them: Messages closes every object, as both official SDKs do; Chat Completions and Responses meet
/// OpenAI's strict rules the way Microsoft.Extensions.AI's OpenAI connector makes them, and go further where that
/// connector stops (objects without properties, <c>$defs</c>).
/// </summary>
public sealed class StrictSchemaTests
{
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
}
