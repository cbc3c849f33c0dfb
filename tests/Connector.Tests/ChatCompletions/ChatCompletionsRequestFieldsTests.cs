using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Http;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Who supplies each top-level field of a Chat Completions request: mapped options, the raw base body, or additional properties.</summary>
public sealed class ChatCompletionsRequestFieldsTests
{
    public static TheoryData<string> BaseShapes => ["JsonObject", "JsonElement", "Dictionary"];

    public static TheoryData<YuHuanProtocol> ServedProtocols => [.. Protocols.All.Select(p => p.Id)];

    [Theory]
    [MemberData(nameof(BaseShapes))]
    public void Write_BaseBodySetsTemperature_BaseValueKeptOverChatOptions(string shape)
    {
        var options = new ChatOptions { Temperature = 0.9f, TopP = 0.5f };

        var body = Write(options, BaseBody(shape, """{"temperature":0.1,"logprobs":true}"""));

        Assert.Equal(0.1, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble());
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        AssertUniqueNames(body);
    }

    [Theory]
    [MemberData(nameof(BaseShapes))]
    public void Write_AdditionalPropertyAlsoSet_AdditionalPropertyBeatsBaseBodyAndOptions(string shape)
    {
        var options = new ChatOptions
        {
            Temperature = 0.9f,
            AdditionalProperties = new() { ["temperature"] = 0.3, ["seed"] = 11 },
        };

        var body = Write(options, BaseBody(shape, """{"temperature":0.1,"seed":5}"""));

        Assert.Equal(0.3, body.GetProperty("temperature").GetDouble());
        Assert.Equal(11, body.GetProperty("seed").GetInt32());
        AssertUniqueNames(body);
    }

    [Fact]
    public void Write_EveryFieldSuppliedThreeTimes_EachNameWrittenOnceInPrecedenceOrder()
    {
        var options = new ChatOptions
        {
            ModelId = "mapped",
            Temperature = 0.9f,
            MaxOutputTokens = 10,
            AdditionalProperties = new() { ["model"] = "additional", ["user"] = "u-1" },
        };

        // A JsonElement may repeat a name: the last value counts, as JsonElement.GetProperty reads it.
        var raw = JsonElement.Parse("""{"model":"base","temperature":0.1,"temperature":0.2,"stream":true,"user":"base-user"}""");
        var json = Encoding.UTF8.GetString(ChatCompletionsRequestWriter.Write(new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "x")],
            Options = options,
            Model = options.ModelId,
            RawRepresentation = raw,
        }).Span);

        // Mapped fields nobody supplies, then the base body's fields no additional property replaces, then the additional properties.
        Assert.Equal(
            """{"messages":[{"role":"user","content":"x"}],"max_tokens":10,"temperature":0.2,"stream":true,"model":"additional","user":"u-1"}""",
            json);
    }

    [Fact]
    public void Write_NoModelButBaseBodyHasOne_UsesTheBaseModel()
    {
        var body = Write(new ChatOptions(), new JsonObject { ["model"] = "from-base" }, model: null);

        Assert.Equal("from-base", body.GetProperty("model").GetString());
    }

    [Theory]
    [MemberData(nameof(ServedProtocols))]
    public async Task Request_NoModelAnywhere_ThrowsArgumentExceptionNamingModelId(YuHuanProtocol protocol)
    {
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:9/"), ApiKey = "k", Protocol = protocol });
        var options = new ChatOptions { RawRepresentationFactory = _ => new JsonObject { ["temperature"] = 1 } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", options));

        Assert.Contains("ModelId", ex.Message, StringComparison.Ordinal);
        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public void Write_BaseBodyOfAnotherType_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write(new ChatOptions(), "{\"temperature\":1}"));

        Assert.Contains("RawRepresentationFactory", ex.Message, StringComparison.Ordinal);
    }

    private static object BaseBody(string shape, string json) => shape switch
    {
        "JsonObject" => JsonNode.Parse(json)!.AsObject(),
        "JsonElement" => JsonElement.Parse(json),
        _ => JsonElement.Parse(json).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value),
    };

    private static JsonElement Write(ChatOptions options, object? raw, string? model = "m")
    {
        var body = ChatCompletionsRequestWriter.Write(new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "x")],
            Options = options,
            Model = model,
            RawRepresentation = raw,
        });
        return JsonElement.Parse(body.Span);
    }

    private static void AssertUniqueNames(JsonElement body)
    {
        var names = body.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Distinct(StringComparer.Ordinal).Count(), names.Count);
    }
}
