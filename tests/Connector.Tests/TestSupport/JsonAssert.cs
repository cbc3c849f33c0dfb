using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>Compares JSON documents by content, showing both when they differ.</summary>
internal static class JsonAssert
{
    public static void Equal(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected:\n{JsonNode.Parse(expected)?.ToJsonString()}\nActual:\n{actual}");

    public static void Equal(string expected, byte[] actual) => Equal(expected, Encoding.UTF8.GetString(actual));

    public static void Equal(string expected, JsonElement actual)
    {
        var expectedElement = JsonElement.Parse(expected);
        Assert.True(JsonElement.DeepEquals(expectedElement, actual), $"Expected:\n{JsonSerializer.Serialize(expectedElement)}\nActual:\n{actual.GetRawText()}");
    }

    /// <summary>A whole request body: equal content, and the top-level fields in the same order.</summary>
    public static void BodyEqual(string expected, string actual) => BodyEqual(expected, JsonElement.Parse(actual));

    /// <inheritdoc cref="BodyEqual(string, string)"/>
    public static void BodyEqual(string expected, ReadOnlyMemory<byte> actual) => BodyEqual(expected, JsonElement.Parse(actual.Span));

    private static void BodyEqual(string expected, JsonElement actual)
    {
        Equal(expected, actual);
        Assert.Equal(JsonElement.Parse(expected).EnumerateObject().Select(p => p.Name), actual.EnumerateObject().Select(p => p.Name));
    }
}
