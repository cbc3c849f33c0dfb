using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.ChatCompletions;
using YuHuan.Connector.Tests.TestSupport;
using static YuHuan.Connector.Tests.Shared.StrictSchemaData;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Schemas as Chat Completions takes them: a strict schema meets OpenAI's strict rules; one not strict goes as given.</summary>
public sealed class ChatCompletionsStrictSchemaTests
{
    [Fact]
    public void ChatCompletions_StrictResponseFormatAndTools_OpenAIStrictRules()
    {
        var body = Body(ChatCompletionsRequestWriter.Write(Request(StrictOptions())));

        JsonAssert.Equal(Strict, body.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema"));
        JsonAssert.Equal(Strict, body.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters"));
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

    [Fact]
    public void ChatCompletions_NotStrict_SchemaAsGiven()
    {
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(RichSchema, "rich"),
            Tools = [AIFunctionFactory.CreateDeclaration("f", null, RichSchema)],
        };

        var chat = Body(ChatCompletionsRequestWriter.Write(Request(options)));

        JsonAssert.Equal(Rich, chat.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema"));
        JsonAssert.Equal(Rich, chat.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters"));
    }
}
