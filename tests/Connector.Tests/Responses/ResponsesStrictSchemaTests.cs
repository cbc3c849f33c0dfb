using Microsoft.Extensions.AI;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Shared.StrictSchemaData;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>Schemas as Responses takes them: a strict schema meets OpenAI's strict rules; one not strict goes as given.</summary>
public sealed class ResponsesStrictSchemaTests
{
    [Fact]
    public void Responses_StrictTextFormatAndTools_OpenAIStrictRules()
    {
        var body = Body(ResponsesRequestWriter.Write(Request(StrictOptions())));

        JsonAssert.Equal(Strict, body.GetProperty("text").GetProperty("format").GetProperty("schema"));
        JsonAssert.Equal(Strict, body.GetProperty("tools")[0].GetProperty("parameters"));
    }

    [Fact]
    public void Responses_NotStrict_SchemaAsGiven()
    {
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(RichSchema, "rich"),
            Tools = [AIFunctionFactory.CreateDeclaration("f", null, RichSchema)],
        };

        var responses = Body(ResponsesRequestWriter.Write(Request(options)));

        JsonAssert.Equal(Rich, responses.GetProperty("text").GetProperty("format").GetProperty("schema"));
        JsonAssert.Equal(Rich, responses.GetProperty("tools")[0].GetProperty("parameters"));
    }
}
