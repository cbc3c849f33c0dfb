using Microsoft.Extensions.AI;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Shared.StrictSchemaData;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>Schemas as Messages takes them: structured output closes every object (<c>"additionalProperties": false</c>), as both official SDKs do, and so does a strict tool.</summary>
public sealed class MessagesStrictSchemaTests
{
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
}
