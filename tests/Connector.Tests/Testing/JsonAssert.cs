using System.Text;
using System.Text.Json.Nodes;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>Compares JSON documents by content, showing both when they differ.</summary>
internal static class JsonAssert
{
    public static void Equal(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected:\n{JsonNode.Parse(expected)?.ToJsonString()}\nActual:\n{actual}");

    public static void Equal(string expected, byte[] actual) => Equal(expected, Encoding.UTF8.GetString(actual));
}
