using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Messages;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>One mapped feature of the Messages request body per test.</summary>
public sealed class MessagesRequestTests
{
    private static readonly JsonElement Schema = JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""");

    [Fact]
    public void Write_Model_WrittenFromTheRequest()
    {
        var body = Write([User("hi")]);

        Assert.Equal("claude-test", body.GetProperty("model").GetString());
    }

    [Fact]
    public void Write_ModelOnlyInAdditionalProperties_UsesIt()
    {
        var body = Write([User("hi")], new ChatOptions { AdditionalProperties = new() { ["model"] = "extra-model" } }, model: null);

        Assert.Equal("extra-model", body.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData(null, 4096)]
    [InlineData(300, 300)]
    public void Write_MaxTokens_FromOptionsElseTheDefault(int? maxOutputTokens, int expected)
    {
        var body = Write([User("hi")], new ChatOptions { MaxOutputTokens = maxOutputTokens });

        Assert.Equal(expected, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Write_NoOptions_MaxTokensIsTheClientDefault()
    {
        var body = Write([User("hi")], options: null, defaultMaxOutputTokens: 777);

        Assert.Equal(777, body.GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_Stream_WrittenEitherWay(bool stream)
    {
        var body = Write([User("hi")], stream: stream);

        Assert.Equal(stream, body.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public void Write_SystemAndDeveloperMessagesAnywhere_LiftedAfterTheInstructions()
    {
        var body = Write(
            [new ChatMessage(ChatRole.System, "Be brief."), User("hi"), new ChatMessage(new ChatRole("developer"), "Use metric units."), Assistant("Hello.")],
            new ChatOptions { Instructions = "You are a travel agent." });

        JsonAssert.Equal("""[{"type":"text","text":"You are a travel agent."},{"type":"text","text":"Be brief."},{"type":"text","text":"Use metric units."}]""", body.GetProperty("system"));
        JsonAssert.Equal("""[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":[{"type":"text","text":"Hello."}]}]""", body.GetProperty("messages"));
    }

    [Fact]
    public void Write_NoSystemText_NoSystemField()
    {
        var body = Write([new ChatMessage(ChatRole.System, string.Empty), User("hi")]);

        Assert.False(body.TryGetProperty("system", out _));
    }

    [Fact]
    public void Write_ConsecutiveMessagesOfOneRole_MergedIntoOneTurn()
    {
        var body = Write([User("a"), User("b"), Assistant("c"), Assistant("d")]);

        JsonAssert.Equal(
            """[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},{"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]}]""",
            body.GetProperty("messages"));
    }

    [Fact]
    public void Write_ToolMessagesOneResultEach_OneUserTurnOfResults()
    {
        var body = Write(
        [
            User("weather?"),
            new ChatMessage(ChatRole.Assistant, [Call("c1"), Call("c2")]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c2", "rain")]),
        ]);

        var messages = body.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        JsonAssert.Equal(
            """{"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"sunny"},{"type":"tool_result","tool_use_id":"c2","content":"rain"}]}""",
            messages[2]);
    }

    [Fact]
    public void Write_UserTextBeforeToolResults_ResultsLeadTheTurn()
    {
        var body = Write(
        [
            new ChatMessage(ChatRole.Assistant, [Call("c1")]),
            User("Also, hurry."),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "done")]),
            new ChatMessage(ChatRole.User, [new TextContent("And?"), new FunctionResultContent("c9", "late")]),
        ]);

        JsonAssert.Equal(
            """
            {"role":"user","content":[
              {"type":"tool_result","tool_use_id":"c1","content":"done"},
              {"type":"tool_result","tool_use_id":"c9","content":"late"},
              {"type":"text","text":"Also, hurry."},
              {"type":"text","text":"And?"}]}
            """,
            body.GetProperty("messages")[1]);
    }

    [Fact]
    public void Write_Images_Base64AndUrlSources()
    {
        var body = Write([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png"), new UriContent("https://example.test/cat.jpg", "image/jpeg")])]);

        JsonAssert.Equal(
            """
            [{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AQID"}},
             {"type":"image","source":{"type":"url","url":"https://example.test/cat.jpg"}}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_Documents_PdfBase64PdfUrlAndPlainText()
    {
        var body = Write([new ChatMessage(ChatRole.User,
        [
            new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf"),
            new UriContent("https://example.test/a.pdf", "application/pdf"),
            new DataContent("Plain text, 中文."u8.ToArray(), "text/plain"),
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERg=="}},
             {"type":"document","source":{"type":"url","url":"https://example.test/a.pdf"}},
             {"type":"document","source":{"type":"text","media_type":"text/plain","data":"Plain text, 中文."}}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_FunctionCall_ToolUseWithObjectInput()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant,
        [
            new TextContent("Checking."),
            new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3, ["tags"] = new[] { "a" } }),
            new FunctionCallContent("c2", "now"),
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"text","text":"Checking."},
             {"type":"tool_use","id":"c1","name":"get_weather","input":{"city":"Paris","days":3,"tags":["a"]}},
             {"type":"tool_use","id":"c2","name":"now","input":{}}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_FunctionResults_StringsAsTheyAreOthersAsJson()
    {
        var body = Write([new ChatMessage(ChatRole.Tool,
        [
            new FunctionResultContent("c1", "sunny"),
            new FunctionResultContent("c2", 42),
            new FunctionResultContent("c3", JsonElement.Parse("""{"ok":true}""")),
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"tool_result","tool_use_id":"c1","content":"sunny"},
             {"type":"tool_result","tool_use_id":"c2","content":"42"},
             {"type":"tool_result","tool_use_id":"c3","content":"{\"ok\":true}"}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_FailedFunctionResults_IsErrorWithTheChosenResultElseTheExceptionMessage()
    {
        var body = Write([new ChatMessage(ChatRole.Tool,
        [
            new FunctionResultContent("c1", null) { Exception = new InvalidOperationException("boom") },
            new FunctionResultContent("c2", "Error: Function failed.") { Exception = new InvalidOperationException("secret detail") },
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"tool_result","tool_use_id":"c1","content":"boom","is_error":true},
             {"type":"tool_result","tool_use_id":"c2","content":"Error: Function failed.","is_error":true}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_SignedReasoning_ThinkingBlockInItsPlace()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant,
        [
            new TextReasoningContent("Need the weather.") { ProtectedData = "sig-1" },
            Call("c1"),
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"thinking","thinking":"Need the weather.","signature":"sig-1"},
             {"type":"tool_use","id":"c1","name":"f","input":{}}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_SignatureOnlyReasoning_ThinkingBlockWithEmptyText()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant, [new TextReasoningContent(string.Empty) { ProtectedData = "sig" }, new TextContent("ok")])]);

        JsonAssert.Equal("""{"type":"thinking","thinking":"","signature":"sig"}""", Content(body, 0)[0]);
    }

    [Fact]
    public void Write_ReasoningStreamedInPieces_JoinedUntilThePieceWithTheSignature()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant,
        [
            new TextReasoningContent("First, "),
            new TextReasoningContent("think."),
            new TextReasoningContent(string.Empty) { ProtectedData = "sig-a" },
            new TextReasoningContent("Second."),
            new TextReasoningContent(" Done.") { ProtectedData = "sig-b" },
            new TextContent("Answer."),
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"thinking","thinking":"First, think.","signature":"sig-a"},
             {"type":"thinking","thinking":"Second. Done.","signature":"sig-b"},
             {"type":"text","text":"Answer."}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_RedactedReasoning_RedactedThinkingBlock()
    {
        // After a round trip through JSON the marker is a JsonElement.
        var afterJson = new TextReasoningContent(string.Empty) { ProtectedData = "enc-2", AdditionalProperties = new() { [ReasoningMarkers.Redacted] = JsonElement.Parse("true") } };
        var body = Write([new ChatMessage(ChatRole.Assistant,
        [
            new TextReasoningContent(string.Empty) { ProtectedData = "enc-1", AdditionalProperties = new() { [ReasoningMarkers.Redacted] = true } },
            afterJson,
            new TextContent("ok"),
        ])]);

        JsonAssert.Equal(
            """[{"type":"redacted_thinking","data":"enc-1"},{"type":"redacted_thinking","data":"enc-2"},{"type":"text","text":"ok"}]""",
            Content(body, 0));
    }

    [Fact]
    public void Write_UnsignedReasoning_LeftOutAndAnEmptyTurnDropped()
    {
        var body = Write(
        [
            User("a"),
            new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("another provider's thoughts"), new TextContent(string.Empty)]),
            new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("unsigned"), new TextContent("b"), new TextReasoningContent("tail")]),
            new ChatMessage(ChatRole.User, [new TextReasoningContent("user-side reasoning") { ProtectedData = "x" }, new TextContent("c")]),
        ]);

        JsonAssert.Equal(
            """
            [{"role":"user","content":[{"type":"text","text":"a"}]},
             {"role":"assistant","content":[{"type":"text","text":"b"}]},
             {"role":"user","content":[{"type":"text","text":"c"}]}]
            """,
            body.GetProperty("messages"));
    }

    [Fact]
    public void Write_AudioContent_ThrowsNamingTheMessageAndType()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi"), new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")])]));

        Assert.Contains("Message 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DataContent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("audio/wav", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UnsupportedContentKinds_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Write([new ChatMessage(ChatRole.User, [new HostedFileContent("file-1")])]));
        Assert.Throws<ArgumentException>(() => Write([new ChatMessage(ChatRole.User, [new UriContent("https://example.test/a.mp3", "audio/mpeg")])]));
        Assert.Throws<ArgumentException>(() => Write([new ChatMessage(ChatRole.System, [new DataContent(new byte[] { 1 }, "image/png")])]));
        var assistantImage = Assert.Throws<ArgumentException>(() => Write([new ChatMessage(ChatRole.Assistant, [new DataContent(new byte[] { 1 }, "image/png")])]));
        Assert.Contains("Message 0", assistantImage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NullContentOrMessage_ThrowsArgumentException()
    {
        var content = Assert.Throws<ArgumentException>(() => Write([User("a"), new ChatMessage(ChatRole.User, [new TextContent("x"), null!])]));
        Assert.Contains("Message 1", content.Message, StringComparison.Ordinal);
        Assert.Contains("null", content.Message, StringComparison.Ordinal);

        var message = Assert.Throws<ArgumentException>(() => Write([User("a"), null!]));
        Assert.Contains("Message 1", message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FunctionTools_NameDescriptionInputSchema()
    {
        var body = Write([User("hi")], new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", Schema), AIFunctionFactory.CreateDeclaration("now", null, Schema)],
        });

        JsonAssert.Equal(
            $$"""
            [{"name":"get_weather","description":"Gets the weather.","input_schema":{{Schema.GetRawText()}}},
             {"name":"now","input_schema":{{Schema.GetRawText()}}}]
            """,
            body.GetProperty("tools"));
    }

    [Fact]
    public void Write_HostedToolOnlyAnotherProtocolCarries_ThrowsNamingTheToolTypeAndTheProtocolsThatCarryIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi")], new ChatOptions { Tools = [new HostedFileSearchTool()] }));

        Assert.Contains(nameof(HostedFileSearchTool), ex.Message, StringComparison.Ordinal);
        Assert.Contains("it is carried by " + TestProtocols.Carrying(new HostedFileSearchTool()), ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ChatToolMode?, bool?, string?> ToolChoices => new()
    {
        { ChatToolMode.Auto, null, """{"type":"auto"}""" },
        { ChatToolMode.RequireAny, null, """{"type":"any"}""" },
        { ChatToolMode.RequireSpecific("get_weather"), null, """{"type":"tool","name":"get_weather"}""" },
        { ChatToolMode.None, null, """{"type":"none"}""" },
        { ChatToolMode.None, false, """{"type":"none"}""" },
        { ChatToolMode.RequireAny, false, """{"type":"any","disable_parallel_tool_use":true}""" },
        { null, false, """{"type":"auto","disable_parallel_tool_use":true}""" },
        { null, true, null },
        { null, null, null },
    };

    [Theory]
    [MemberData(nameof(ToolChoices))]
    public void Write_ToolModeAndParallelCalls_ToolChoice(ChatToolMode? mode, bool? allowMultiple, string? expected)
    {
        var body = Write([User("hi")], new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", null, Schema)],
            ToolMode = mode,
            AllowMultipleToolCalls = allowMultiple,
        });

        if (expected is null)
        {
            Assert.False(body.TryGetProperty("tool_choice", out _));
        }
        else
        {
            JsonAssert.Equal(expected, body.GetProperty("tool_choice"));
        }
    }

    [Fact]
    public void Write_ToolModeWithoutTools_NoToolChoice()
    {
        var body = Write([User("hi")], new ChatOptions { ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false });

        Assert.False(body.TryGetProperty("tool_choice", out _));
        Assert.False(body.TryGetProperty("tools", out _));
    }

    [Fact]
    public void Write_StopSequences_Written()
    {
        var body = Write([User("hi")], new ChatOptions { StopSequences = ["END", "STOP"] });

        JsonAssert.Equal("""["END","STOP"]""", body.GetProperty("stop_sequences"));
    }

    [Fact]
    public void Write_Sampling_TemperatureTopPTopK()
    {
        var body = Write([User("hi")], new ChatOptions { Temperature = 0.5f, TopP = 0.9f, TopK = 40 });

        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble());
        Assert.Equal("0.9", body.GetProperty("top_p").GetRawText());
        Assert.Equal(40, body.GetProperty("top_k").GetInt32());
    }

    [Fact]
    public void Write_OptionsTheProtocolLacks_NotWritten()
    {
        var body = Write([User("hi")], new ChatOptions { Seed = 1, FrequencyPenalty = 0.1f, PresencePenalty = 0.2f, ResponseFormat = ChatResponseFormat.Text });

        Assert.Equal(["model", "max_tokens", "messages", "stream"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Write_ResponseFormatWithSchema_OutputConfigFormatWithTheObjectClosed()
    {
        var body = Write([User("hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "weather", "The weather.") });

        JsonAssert.Equal("""{"format":{"type":"json_schema","schema":{"type":"object","properties":{"city":{"type":"string"}},"additionalProperties":false}}}""", body.GetProperty("output_config"));
    }

    [Fact]
    public void Write_ResponseFormatJsonWithoutSchema_ThrowsNamingTheAlternatives()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json }));

        Assert.Contains("ChatResponseFormat.ForJsonSchema", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a protocol with a JSON mode that needs none", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AdditionalPropertiesAndBaseBody_FollowTheSharedPrecedence()
    {
        var options = new ChatOptions
        {
            Temperature = 0.9f,
            TopK = 5,
            AdditionalProperties = new() { ["top_k"] = 7, ["metadata"] = new Dictionary<string, object?> { ["user_id"] = "u-42" } },
        };

        var body = Write([User("hi")], options, raw: new JsonObject { ["temperature"] = 0.1, ["top_k"] = 6, ["service_tier"] = "auto" });

        Assert.Equal(0.1, body.GetProperty("temperature").GetDouble());
        Assert.Equal(7, body.GetProperty("top_k").GetInt32());
        Assert.Equal("auto", body.GetProperty("service_tier").GetString());
        Assert.Equal("u-42", body.GetProperty("metadata").GetProperty("user_id").GetString());
        var names = body.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Distinct(StringComparer.Ordinal).Count(), names.Count);
    }

    private static ChatMessage User(string text) => new(ChatRole.User, text);

    private static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    private static FunctionCallContent Call(string id) => new(id, "f");

    private static JsonElement Content(JsonElement body, int turn) => body.GetProperty("messages")[turn].GetProperty("content");

    private static JsonElement Write(
        List<ChatMessage> messages,
        ChatOptions? options = null,
        string? model = "claude-test",
        bool stream = false,
        object? raw = null,
        int defaultMaxOutputTokens = 4096)
    {
        var body = MessagesRequestWriter.Write(new ChatRequest
        {
            Messages = messages,
            Options = options,
            Model = model,
            Stream = stream,
            RawRepresentation = raw,
            DefaultMaxOutputTokens = defaultMaxOutputTokens,
            ToolCarriers = Protocols.Carrying,
        });
        return JsonElement.Parse(body.Span);
    }
}
