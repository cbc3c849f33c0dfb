using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Http;
using YuHuan.Connector.Responses;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Responses;

/// <summary>One mapped feature of the Responses request body per test, and every case the writer refuses.</summary>
public sealed class ResponsesRequestWriterTests
{
    private static readonly JsonElement Schema = JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""");

    [Fact]
    public void Write_Minimal_ModelInputStreamOnly()
    {
        var body = Write([User("hi")]);

        JsonAssert.BodyEqual(
            """{"model":"gpt-test","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}],"stream":false}""",
            body.GetRawText());
    }

    [Fact]
    public void Write_ModelOnlyInAdditionalProperties_UsesIt()
    {
        var body = Write([User("hi")], new ChatOptions { AdditionalProperties = new() { ["model"] = "extra-model" } }, model: null);

        Assert.Equal("extra-model", body.GetProperty("model").GetString());
    }

    [Fact]
    public void Write_Streaming_StreamTrue()
    {
        var body = Write([User("hi")], stream: true);

        Assert.True(body.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public void Write_Instructions_TopLevelAndSystemMessagesKeepTheirPlace()
    {
        var body = Write(
            [User("a"), new ChatMessage(ChatRole.System, "Be brief."), Assistant("b"), new ChatMessage(new ChatRole("developer"), "Use metric units.")],
            new ChatOptions { Instructions = "You are a travel agent." });

        Assert.Equal("You are a travel agent.", body.GetProperty("instructions").GetString());
        JsonAssert.Equal(
            """
            [{"type":"message","role":"user","content":[{"type":"input_text","text":"a"}]},
             {"type":"message","role":"system","content":[{"type":"input_text","text":"Be brief."}]},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"b","annotations":[]}]},
             {"type":"message","role":"developer","content":[{"type":"input_text","text":"Use metric units."}]}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_EmptyTextsAndInformationalContent_NoEmptyItems()
    {
        var body = Write(
        [
            new ChatMessage(ChatRole.System, string.Empty),
            new ChatMessage(ChatRole.User, [new TextContent(string.Empty), new UsageContent(new UsageDetails()), new TextContent("x")]),
            new ChatMessage(ChatRole.Assistant, [new TextContent(string.Empty), new ErrorContent("oops")]),
        ]);

        JsonAssert.Equal("""[{"type":"message","role":"user","content":[{"type":"input_text","text":"x"}]}]""", body.GetProperty("input"));
    }

    [Fact]
    public void Write_Images_DataUriLinkAndFileId()
    {
        var body = Write([new ChatMessage(ChatRole.User,
        [
            new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
            new UriContent("https://example.test/cat.jpg", "image/jpeg"),
            new HostedFileContent("file-1") { MediaType = "image/jpeg" },
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"input_image","image_url":"data:image/png;base64,AQID"},
             {"type":"input_image","image_url":"https://example.test/cat.jpg"},
             {"type":"input_image","file_id":"file-1"}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_Files_FileDataWithNameFileUrlAndFileId()
    {
        var body = Write([new ChatMessage(ChatRole.User,
        [
            new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf") { Name = "a.pdf" },
            new DataContent("x"u8.ToArray(), "text/plain"),
            new UriContent("https://example.test/a.pdf", "application/pdf"),
            new HostedFileContent("file-2"),
            new HostedFileContent("file-3") { MediaType = "application/pdf" },
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERg=="},
             {"type":"input_file","filename":"file","file_data":"data:text/plain;base64,eA=="},
             {"type":"input_file","file_url":"https://example.test/a.pdf"},
             {"type":"input_file","file_id":"file-2"},
             {"type":"input_file","file_id":"file-3"}]
            """,
            Content(body, 0));
    }

    [Fact]
    public void Write_AssistantTexts_ConsecutiveJoinedAndSplitByCalls()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant, [new TextContent("a"), new TextContent("b"), Call("c1"), new TextContent("c")])]);

        JsonAssert.Equal(
            """
            [{"type":"message","role":"assistant","content":[{"type":"output_text","text":"a","annotations":[]},{"type":"output_text","text":"b","annotations":[]}]},
             {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"c","annotations":[]}]}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_FunctionCalls_ArgumentsAsJsonStringEmptyObjectOrTheRawText()
    {
        // As the mapper keeps arguments that are no JSON: under a key that survives storage, not only as the raw representation.
        var unparsable = new FunctionCallContent("c3", "g") { AdditionalProperties = new() { [FunctionArguments.RawArgumentsKey] = "{not json" } };
        var body = Write([new ChatMessage(ChatRole.Assistant,
        [
            new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3, ["tags"] = new[] { "a" } }),
            new FunctionCallContent("c2", "now"),
            unparsable,
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3,\"tags\":[\"a\"]}"},
             {"type":"function_call","call_id":"c2","name":"now","arguments":"{}"},
             {"type":"function_call","call_id":"c3","name":"g","arguments":"{not json"}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_FunctionResults_StringsAsTheyAreOthersAsJsonErrorsPrefixed()
    {
        var body = Write([new ChatMessage(ChatRole.Tool,
        [
            new FunctionResultContent("c1", "sunny"),
            new FunctionResultContent("c2", 42),
            new FunctionResultContent("c3", JsonElement.Parse("""{"ok":true}""")),
            new FunctionResultContent("c4", null) { Exception = new InvalidOperationException("boom") },
            new FunctionResultContent("c5", "Error: Function failed.") { Exception = new InvalidOperationException("secret detail") },
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"function_call_output","call_id":"c1","output":"sunny"},
             {"type":"function_call_output","call_id":"c2","output":"42"},
             {"type":"function_call_output","call_id":"c3","output":"{\"ok\":true}"},
             {"type":"function_call_output","call_id":"c4","output":"Error: boom"},
             {"type":"function_call_output","call_id":"c5","output":"Error: Function failed."}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_UserTextAndResultsInOneMessage_ItemsInOriginalOrder()
    {
        var body = Write([new ChatMessage(ChatRole.User, [new TextContent("a"), new FunctionResultContent("c1", "r"), new TextContent("b")])]);

        JsonAssert.Equal(
            """
            [{"type":"message","role":"user","content":[{"type":"input_text","text":"a"}]},
             {"type":"function_call_output","call_id":"c1","output":"r"},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"b"}]}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_Reasoning_ItemsInTheirOriginalPositionWithIdAndEncryptedContent()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant,
        [
            Reasoning("Plan.", "rs_1", "enc-1"),
            Call("c1"),
            Reasoning("Check.", "rs_2", "enc-2"),
            new TextContent("Done."),
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Plan."}],"encrypted_content":"enc-1"},
             {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
             {"type":"reasoning","id":"rs_2","summary":[{"type":"summary_text","text":"Check."}],"encrypted_content":"enc-2"},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Done.","annotations":[]}]}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_ReasoningPiecesOfOneItem_JoinedIntoOneItem()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant,
        [
            Reasoning("First, ", "rs_1"),
            new TextReasoningContent("think "),
            Reasoning("hard.", "rs_1"),
            Reasoning(string.Empty, "rs_1", "enc-1"),
            Reasoning("Next.", "rs_2"),
            new TextReasoningContent(string.Empty) { ProtectedData = "enc-2" },
        ])]);

        JsonAssert.Equal(
            """
            [{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"First, think hard."}],"encrypted_content":"enc-1"},
             {"type":"reasoning","id":"rs_2","summary":[{"type":"summary_text","text":"Next."}],"encrypted_content":"enc-2"}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_ReasoningWithoutText_EmptySummaryAndNoEncryptedContentWhenThereIsNone()
    {
        var body = Write([new ChatMessage(ChatRole.Assistant, [Reasoning(string.Empty, "rs_1", "enc-1"), Reasoning("Stored only.", "rs_2")])]);

        JsonAssert.Equal(
            """
            [{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"enc-1"},
             {"type":"reasoning","id":"rs_2","summary":[{"type":"summary_text","text":"Stored only."}]}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_ItemIdAfterAJsonRoundTrip_StillRead()
    {
        var piece = new TextReasoningContent("x") { ProtectedData = "enc", AdditionalProperties = new() { [ResponsesKeys.ItemId] = JsonElement.Parse("\"rs_9\"") } };

        var body = Write([new ChatMessage(ChatRole.Assistant, [piece])]);

        JsonAssert.Equal("""[{"type":"reasoning","id":"rs_9","summary":[{"type":"summary_text","text":"x"}],"encrypted_content":"enc"}]""", body.GetProperty("input"));
    }

    [Fact]
    public void Write_ReasoningWithoutItemIdOrOutsideAssistantMessages_LeftOut()
    {
        var body = Write(
        [
            new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("another protocol's") { ProtectedData = "sig" }, new TextContent("a")]),
            new ChatMessage(ChatRole.Assistant, [Reasoning("mine", "rs_1", "enc-1"), new TextReasoningContent("appended after the item ended"), new TextContent("b")]),
            new ChatMessage(ChatRole.User, [Reasoning("user-side", "rs_x", "enc-x"), new TextContent("c")]),
        ]);

        JsonAssert.Equal(
            """
            [{"type":"message","role":"assistant","content":[{"type":"output_text","text":"a","annotations":[]}]},
             {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"mine"}],"encrypted_content":"enc-1"},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"b","annotations":[]}]},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"c"}]}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_PreviousResponseId_OnlyMessagesAfterTheLastAssistantMessage()
    {
        var body = Write(
            [User("a"), Assistant("b"), User("c"), new ChatMessage(ChatRole.Assistant, [Call("c1")]), new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "r")]), User("d")],
            new ChatOptions { ConversationId = "resp_123" });

        Assert.Equal("resp_123", body.GetProperty("previous_response_id").GetString());
        Assert.False(body.TryGetProperty("conversation", out _));
        JsonAssert.Equal(
            """
            [{"type":"function_call_output","call_id":"c1","output":"r"},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"d"}]}]
            """,
            body.GetProperty("input"));
    }

    [Fact]
    public void Write_ConversationObjectId_ConversationFieldAndTrimmed()
    {
        var body = Write([User("a"), Assistant("b"), User("c")], new ChatOptions { ConversationId = "conv_42" });

        Assert.Equal("conv_42", body.GetProperty("conversation").GetString());
        Assert.False(body.TryGetProperty("previous_response_id", out _));
        JsonAssert.Equal("""[{"type":"message","role":"user","content":[{"type":"input_text","text":"c"}]}]""", body.GetProperty("input"));
    }

    [Fact]
    public void Write_ConversationIdWithOnlyNewMessages_AllSent()
    {
        var body = Write([new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "r")])], new ChatOptions { ConversationId = "resp_1" });

        JsonAssert.Equal("""[{"type":"function_call_output","call_id":"c1","output":"r"}]""", body.GetProperty("input"));
    }

    [Fact]
    public void Write_NoConversationId_WholeHistorySent()
    {
        var body = Write([User("a"), Assistant("b"), User("c")]);

        Assert.Equal(3, body.GetProperty("input").GetArrayLength());
        Assert.False(body.TryGetProperty("previous_response_id", out _));
    }

    [Fact]
    public void Write_StoreFalse_EncryptedReasoningIncludedByDefault()
    {
        var body = Write([User("hi")], new ChatOptions { AdditionalProperties = new() { ["store"] = false } });

        JsonAssert.Equal("""["reasoning.encrypted_content"]""", body.GetProperty("include"));
        Assert.False(body.GetProperty("store").GetBoolean());
    }

    [Fact]
    public void Write_StoreFalseWithTheCallersInclude_CallersKept()
    {
        var fromOptions = Write([User("hi")], new ChatOptions { AdditionalProperties = new() { ["store"] = false, ["include"] = new[] { "message.output_text.logprobs" } } });
        var fromBase = Write([User("hi")], raw: new JsonObject { ["store"] = false, ["include"] = new JsonArray() });

        JsonAssert.Equal("""["message.output_text.logprobs"]""", fromOptions.GetProperty("include"));
        JsonAssert.Equal("[]", fromBase.GetProperty("include"));
        Assert.Single(fromBase.EnumerateObject(), p => p.Name == "include");
    }

    [Fact]
    public void Write_StoredByDefault_NoIncludeNoStore()
    {
        var body = Write([User("hi")], new ChatOptions { AdditionalProperties = new() { ["store"] = true } });

        Assert.False(body.TryGetProperty("include", out _));
    }

    public static TheoryData<ChatOptions?, object?, bool> StoreCases => new()
    {
        { null, null, true },
        { new ChatOptions(), null, true },
        { new ChatOptions { AdditionalProperties = new() { ["store"] = false } }, null, false },
        { new ChatOptions { AdditionalProperties = new() { ["store"] = JsonElement.Parse("false") } }, null, false },
        { new ChatOptions { AdditionalProperties = new() { ["store"] = true } }, null, true },
        { new ChatOptions { AdditionalProperties = new() { ["store"] = "false" } }, null, true },
        { null, new JsonObject { ["store"] = false }, false },
        { null, JsonElement.Parse("""{"store":false}"""), false },
        { null, new Dictionary<string, object?> { ["store"] = false }, false },
        { null, new JsonObject { ["store"] = true }, true },
        { new ChatOptions { AdditionalProperties = new() { ["store"] = true } }, new JsonObject { ["store"] = false }, true },
        { new ChatOptions { AdditionalProperties = new() { ["store"] = false } }, new JsonObject { ["store"] = true }, false },
    };

    [Theory]
    [MemberData(nameof(StoreCases))]
    public void IsStored_FalseExactlyWhenTheBodySaysStoreFalse(ChatOptions? options, object? raw, bool expected)
    {
        var request = new ChatRequest { Messages = [User("hi")], Options = options, Model = "gpt-test", RawRepresentation = raw };

        var body = ResponsesRequestWriter.Write(request, out var stored);

        Assert.Equal(expected, stored);
        Assert.Equal(!expected, JsonElement.Parse(body.Span).TryGetProperty("include", out _));
    }

    [Fact]
    public void Write_AllowBackgroundResponses_BackgroundTrueOnlyWhenAllowed()
    {
#pragma warning disable MEAI001 // Background responses are experimental.
        var allowed = Write([User("hi")], new ChatOptions { AllowBackgroundResponses = true });
        var refused = Write([User("hi")], new ChatOptions { AllowBackgroundResponses = false });
#pragma warning restore MEAI001

        Assert.True(allowed.GetProperty("background").GetBoolean());
        Assert.False(refused.TryGetProperty("background", out _));
    }

    [Fact]
    public void Write_FunctionTools_FlatWithParametersAndStrict()
    {
        var strict = AIFunctionFactory.Create(() => "now", new AIFunctionFactoryOptions { Name = "now", AdditionalProperties = new Dictionary<string, object?> { ["strict"] = true } });
        var body = Write([User("hi")], new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", Schema), AIFunctionFactory.CreateDeclaration("plain", null, Schema), strict],
        });

        JsonAssert.Equal(
            $$"""
            [{"type":"function","name":"get_weather","description":"Gets the weather.","parameters":{{Schema.GetRawText()}},"strict":false},
             {"type":"function","name":"plain","parameters":{{Schema.GetRawText()}},"strict":false},
             {"type":"function","name":"now","parameters":{"type":"object","properties":{},"additionalProperties":false,"required":[]},"strict":true}]
            """,
            body.GetProperty("tools"));
    }

    [Fact]
    public void Write_StrictJsonSchemaAsked_ToolsAndTextFormatStrictAndTheKeyIsNoField()
    {
        var own = AIFunctionFactory.Create(() => "now", new AIFunctionFactoryOptions { Name = "now", AdditionalProperties = new Dictionary<string, object?> { ["strict"] = false } });
        var body = Write([User("hi")], new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("plain", null, Schema), own],
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "answer"),
            AdditionalProperties = new() { ["strictJsonSchema"] = true },
        });

        Assert.Equal([true, false], body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("strict").GetBoolean()));
        Assert.True(body.GetProperty("text").GetProperty("format").GetProperty("strict").GetBoolean());
        Assert.False(body.TryGetProperty("strictJsonSchema", out _));
    }

    [Fact]
    public void Write_StrictJsonSchemaNotABool_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi")], new ChatOptions { AdditionalProperties = new() { ["strictJsonSchema"] = "yes" } }));

        Assert.Contains("strictJsonSchema", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NotStoredReasoningWithoutEncryptedContent_IsLeftOut()
    {
        var reasoning = new TextReasoningContent("Thinking.") { AdditionalProperties = new() { ["item_id"] = "rs_plain" } };
        var signed = new TextReasoningContent("Signed.") { ProtectedData = "enc", AdditionalProperties = new() { ["item_id"] = "rs_signed" } };
        List<ChatMessage> history = [User("hi"), new(ChatRole.Assistant, [reasoning, new TextContent("Hello.")]), new(ChatRole.Assistant, [signed, new TextContent("Again.")]), User("more")];

        var stateless = Write(history, new ChatOptions { AdditionalProperties = new() { ["store"] = false } });
        var stored = Write(history, new ChatOptions());

        Assert.Equal(["rs_signed"], ReasoningIds(stateless));
        Assert.Equal(["rs_plain", "rs_signed"], ReasoningIds(stored));
    }

    private static IEnumerable<string?> ReasoningIds(JsonElement body) =>
        body.GetProperty("input").EnumerateArray().Where(i => i.GetProperty("type").GetString() == "reasoning").Select(i => i.GetProperty("id").GetString());

    [Fact]
    public void Write_ToolNoProtocolCarries_ThrowsNamingTheToolType()
    {
#pragma warning disable MEAI001 // Tool search is experimental in Microsoft.Extensions.AI.
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi")], new ChatOptions { Tools = [new HostedToolSearchTool()] }));

        Assert.Contains(nameof(HostedToolSearchTool), ex.Message, StringComparison.Ordinal);
#pragma warning restore MEAI001
        Assert.Contains("Responses", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ChatToolMode?, bool?, string?, bool?> ToolChoices => new()
    {
        { ChatToolMode.Auto, null, "\"auto\"", null },
        { ChatToolMode.None, null, "\"none\"", null },
        { ChatToolMode.RequireAny, true, "\"required\"", true },
        { ChatToolMode.RequireSpecific("get_weather"), false, """{"type":"function","name":"get_weather"}""", false },
        { null, false, null, false },
        { null, null, null, null },
    };

    [Theory]
    [MemberData(nameof(ToolChoices))]
    public void Write_ToolModeAndParallelCalls_ToolChoiceAndParallelToolCalls(ChatToolMode? mode, bool? allowMultiple, string? expectedChoice, bool? expectedParallel)
    {
        var body = Write([User("hi")], new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", null, Schema)],
            ToolMode = mode,
            AllowMultipleToolCalls = allowMultiple,
        });

        if (expectedChoice is null)
        {
            Assert.False(body.TryGetProperty("tool_choice", out _));
        }
        else
        {
            JsonAssert.Equal(expectedChoice, body.GetProperty("tool_choice"));
        }

        if (expectedParallel is { } parallel)
        {
            Assert.Equal(parallel, body.GetProperty("parallel_tool_calls").GetBoolean());
        }
        else
        {
            Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
        }
    }

    [Fact]
    public void Write_ToolModeWithoutTools_NoToolFields()
    {
        var body = Write([User("hi")], new ChatOptions { ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false });

        Assert.Equal(["model", "input", "stream"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Write_Sampling_TemperatureTopPMaxOutputTokens()
    {
        var body = Write([User("hi")], new ChatOptions { Temperature = 0.5f, TopP = 0.9f, MaxOutputTokens = 300 });

        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble());
        Assert.Equal("0.9", body.GetProperty("top_p").GetRawText());
        Assert.Equal(300, body.GetProperty("max_output_tokens").GetInt32());
    }

    [Fact]
    public void Write_OptionsTheProtocolLacks_NotWritten()
    {
        var body = Write([User("hi")], new ChatOptions
        {
            TopK = 40,
            StopSequences = ["END"],
            Seed = 1,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            ResponseFormat = ChatResponseFormat.Text,
        });

        Assert.Equal(["model", "input", "stream"], body.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "none")]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    public void Write_ReasoningEffort_EffortOnly(ReasoningEffort effort, string expected)
    {
        var body = Write([User("hi")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } });

        JsonAssert.Equal($$"""{"effort":"{{expected}}"}""", body.GetProperty("reasoning"));
    }

    [Theory]
    [InlineData(ReasoningOutput.Summary, """{"summary":"auto"}""")]
    [InlineData(ReasoningOutput.Full, """{"summary":"detailed"}""")]
    public void Write_ReasoningOutput_Summary(ReasoningOutput output, string expected)
    {
        var body = Write([User("hi")], new ChatOptions { Reasoning = new ReasoningOptions { Output = output } });

        JsonAssert.Equal(expected, body.GetProperty("reasoning"));
    }

    [Fact]
    public void Write_ReasoningOutputNone_NoSummaryAndNoEmptyReasoning()
    {
        var withEffort = Write([User("hi")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High, Output = ReasoningOutput.None } });
        var alone = Write([User("hi")], new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } });

        JsonAssert.Equal("""{"effort":"high"}""", withEffort.GetProperty("reasoning"));
        Assert.False(alone.TryGetProperty("reasoning", out _));
    }

    [Fact]
    public void Write_UnknownReasoningValues_ThrowArgumentException()
    {
        var effort = Assert.Throws<ArgumentException>(() => Write([User("hi")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = (ReasoningEffort)99 } }));
        var output = Assert.Throws<ArgumentException>(() => Write([User("hi")], new ChatOptions { Reasoning = new ReasoningOptions { Output = (ReasoningOutput)99 } }));

        Assert.Contains("99", effort.Message, StringComparison.Ordinal);
        Assert.Contains("99", output.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ResponseFormatWithSchema_TextFormatJsonSchema()
    {
        var named = Write([User("hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "weather", "The weather.") });
        var unnamed = Write([User("hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema) });

        JsonAssert.Equal($$$"""{"format":{"type":"json_schema","name":"weather","description":"The weather.","schema":{{{Schema.GetRawText()}}}}}""", named.GetProperty("text"));
        JsonAssert.Equal($$$"""{"format":{"type":"json_schema","name":"response","schema":{{{Schema.GetRawText()}}}}}""", unnamed.GetProperty("text"));
    }

    [Fact]
    public void Write_ResponseFormatJsonWithoutSchema_JsonObject()
    {
        var body = Write([User("hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        JsonAssert.Equal("""{"format":{"type":"json_object"}}""", body.GetProperty("text"));
    }

    [Fact]
    public void Write_AdditionalPropertiesAndBaseBody_FollowTheSharedPrecedence()
    {
        var options = new ChatOptions
        {
            Temperature = 0.9f,
            TopP = 0.5f,
            ConversationId = "resp_mapped",
            AdditionalProperties = new() { ["top_p"] = 0.7, ["truncation"] = "auto" },
        };

        var body = Write([User("hi")], options, raw: new JsonObject { ["temperature"] = 0.1, ["top_p"] = 0.6, ["previous_response_id"] = "resp_base", ["service_tier"] = "flex" });

        Assert.Equal(0.1, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.7, body.GetProperty("top_p").GetDouble());
        Assert.Equal("resp_base", body.GetProperty("previous_response_id").GetString());
        Assert.Equal("flex", body.GetProperty("service_tier").GetString());
        Assert.Equal("auto", body.GetProperty("truncation").GetString());
        var names = body.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Distinct(StringComparer.Ordinal).Count(), names.Count);
    }

    [Fact]
    public void Write_InputFromTheBaseBody_KeptAndHistoryStillChecked()
    {
        var body = Write([User("ignored")], raw: new JsonObject { ["input"] = "Tell me a joke." });

        Assert.Equal("Tell me a joke.", body.GetProperty("input").GetString());
        Assert.Throws<ArgumentException>(() => Write([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")])], raw: new JsonObject { ["input"] = "x" }));
    }

    [Fact]
    public void Write_BaseBodyOfAnUnknownShape_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi")], raw: "not a body"));

        Assert.Contains("RawRepresentationFactory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AudioContent_ThrowsNamingTheMessageAndType()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi"), new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")])]));

        Assert.Contains("Message 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DataContent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("audio/wav", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Responses", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ChatMessage, string> UnsupportedContents => new()
    {
        { new ChatMessage(ChatRole.User, [new UriContent("https://example.test/a.mp3", "audio/mpeg")]), "audio/mpeg" },
        { new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "video/mp4")]), "video/mp4" },
        { new ChatMessage(ChatRole.User, [new HostedFileContent("file-a") { MediaType = "audio/wav" }]), "audio/wav" },
        { new ChatMessage(ChatRole.User, [new HostedVectorStoreContent("vs_1")]), nameof(HostedVectorStoreContent) },
        { new ChatMessage(ChatRole.System, [new DataContent(new byte[] { 1 }, "image/png")]), "system message" },
        { new ChatMessage(ChatRole.System, [new FunctionCallContent("c1", "f")]), nameof(FunctionCallContent) },
        { new ChatMessage(ChatRole.Assistant, [new DataContent(new byte[] { 1 }, "image/png")]), "only user messages" },
        { new ChatMessage(ChatRole.Assistant, [new HostedFileContent("file-b")]), "only user messages" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedContents))]
    public void Write_ContentTheProtocolCannotCarry_ThrowsNamingIt(ChatMessage message, string named)
    {
        var ex = Assert.Throws<ArgumentException>(() => Write([User("hi"), message]));

        Assert.Contains("Message 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UnsupportedContentBeforeTheConversationCut_StillThrows()
    {
        Assert.Throws<ArgumentException>(() => Write(
            [new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")]), Assistant("b"), User("c")],
            new ChatOptions { ConversationId = "resp_1" }));
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
    public void Write_UnwritableToolArguments_ThrowsNamingTheCall()
    {
        var call = new FunctionCallContent("c-bad", "f", new Dictionary<string, object?> { ["x"] = typeof(string) });

        var ex = Assert.Throws<ArgumentException>(() => Write([new ChatMessage(ChatRole.Assistant, [call])]));

        Assert.Contains("c-bad", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MessagesAsALazySequence_WrittenInOrder()
    {
        static IEnumerable<ChatMessage> History()
        {
            yield return User("a");
            yield return Assistant("b");
        }

        var body = ResponsesRequestWriter.Write(new ChatRequest { Messages = History(), Model = "gpt-test" });

        Assert.Equal(2, JsonElement.Parse(body.Span).GetProperty("input").GetArrayLength());
    }

    private static ChatMessage User(string text) => new(ChatRole.User, text);

    private static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    private static FunctionCallContent Call(string id) => new(id, "f");

    private static TextReasoningContent Reasoning(string text, string itemId, string? encrypted = null) =>
        new(text) { ProtectedData = encrypted, AdditionalProperties = new() { [ResponsesKeys.ItemId] = itemId } };

    private static JsonElement Content(JsonElement body, int item) => body.GetProperty("input")[item].GetProperty("content");

    private static JsonElement Write(
        List<ChatMessage> messages,
        ChatOptions? options = null,
        string? model = "gpt-test",
        bool stream = false,
        object? raw = null)
    {
        var body = ResponsesRequestWriter.Write(new ChatRequest
        {
            Messages = messages,
            Options = options,
            Model = model,
            Stream = stream,
            RawRepresentation = raw,
        });
        return JsonElement.Parse(body.Span);
    }
}
