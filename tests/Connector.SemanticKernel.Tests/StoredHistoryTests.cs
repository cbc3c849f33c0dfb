using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests;
using KernelFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>
/// A conversation stored the way apps store it (a Semantic Kernel <see cref="ChatHistory"/> as JSON, an agent session
/// through the agent framework's own serialization) and restored must send the next turn exactly as the live one does:
/// the whole request body built from the restored history equals the one built from the history kept in memory.
/// </summary>
public sealed class StoredHistoryTests : KernelTestBase
{
    private const string Preamble = "Let me look both cities up.";
    private const string FollowUp = "And which city is warmer?";
    private const string FollowUpAnswer = "Paris, most likely.";
    private const string SearchQuery = "weather Paris today";
    private const string RedactedData = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw==";
    private const string ReasoningFields = """{"origin":"summarizer-7"}""";
    private const string TextFields = """{"lang":"en-gb-7"}""";
    private const string Caller = """{"caller":{"type":"code_execution_20250825","tool_id":"srvtoolu_7"}}""";

    /// <summary>Every protocol, streamed and not.</summary>
    public static TheoryData<YuHuanProtocol, bool> ProtocolsAndDelivery()
    {
        var data = new TheoryData<YuHuanProtocol, bool>();
        foreach (var protocol in TestProtocols.Protocols)
        {
            data.Add(protocol, true);
            data.Add(protocol, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProtocolsAndDelivery))]
    public async Task ChatHistoryJson_SavedBetweenToolCallsAndResults_NextRequestEqualsTheLiveOne(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(ReplyWithEverything(serverTools: true), EmulatorReply.Text(FollowUpAnswer), EmulatorReply.Text(FollowUpAnswer));
        var kernel = CreateKernel(protocol, Registration.ChatCompletionService, terminateAfterCallId: WeatherScript.TokyoCallId);
        var service = kernel.GetRequiredService<IChatCompletionService>();
        var live = new ChatHistory();
        live.AddUserMessage(WeatherScript.Prompt);

        // The kernel ran both calls and stopped: the assistant's turn is in the history, the results are the caller's.
        var results = await RunToResultsAsync(service, live, kernel, streaming);
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], results.Select(result => result.CallId));

        // The app stores the conversation while it holds the results (a slow tool, a human in the loop) and resumes later.
        var stored = JsonSerializer.Serialize(live);
        var restored = JsonSerializer.Deserialize<ChatHistory>(stored)!;
        AssertSameMessages(protocol, live, restored);
        foreach (var history in new[] { live, restored })
        {
            history.Add(new ChatMessageContent(AuthorRole.Tool, [.. results]));
            await AnswerAsync(service, history, kernel, streaming);
        }

        AssertSameNextRequest(protocol, Emulator.Requests[1], Emulator.Requests[2]);
    }

    [Theory]
    [MemberData(nameof(ProtocolsAndDelivery))]
    public async Task AgentSessionSerialization_AfterAToolTurn_NextRequestEqualsTheLiveOne(YuHuanProtocol protocol, bool streaming)
    {
        Emulator.Enqueue(
            ReplyWithEverything(serverTools: false),
            WeatherScript.FinalAnswer(),
            EmulatorReply.Text(FollowUpAnswer),
            EmulatorReply.Text(FollowUpAnswer));
        var agent = CreateAgent(protocol, "You are a weather assistant. Use the forecast tool.");
        var live = await agent.CreateSessionAsync(Timeout);
        await RunAgentAsync(agent, WeatherScript.Prompt, live, streaming);
        ScenarioAssert.PluginRanBothCalls(Plugin);

        // The session as an app keeps it: the agent framework's own serialization, written out as text and read back.
        var stored = (await agent.SerializeSessionAsync(live, cancellationToken: Timeout)).GetRawText();
        using var document = JsonDocument.Parse(stored);
        var restored = await agent.DeserializeSessionAsync(document.RootElement.Clone(), cancellationToken: Timeout);

        Assert.Equal(FollowUpAnswer, await RunAgentAsync(agent, FollowUp, live, streaming));
        Assert.Equal(FollowUpAnswer, await RunAgentAsync(agent, FollowUp, restored, streaming));

        Assert.Equal(4, Emulator.Requests.Count);
        AssertSameNextRequest(protocol, Emulator.Requests[2], Emulator.Requests[3]);
    }

    /// <summary>
    /// The first reply: signed reasoning (Messages <c>signature</c>, Responses <c>encrypted_content</c> on an item with an
    /// id), redacted reasoning, text (with a phase, which Responses sends), and two tool calls, the first with a
    /// <c>caller</c>; reasoning and text carry fields the mapping does not use. With <paramref name="serverTools"/>, a
    /// server-side web search before the text (Messages and Responses) and a citation on the text.
    /// </summary>
    private static EmulatorReply ReplyWithEverything(bool serverTools)
    {
        var reply = new EmulatorReply()
            .AddReasoning(WeatherScript.CallReasoning, chunkSize: 12, signature: WeatherScript.CallSignature)
            .WithExtraFields(ReasoningFields)
            .AddRedactedReasoning(RedactedData);
        if (serverTools)
        {
            reply.AddWebSearch(SearchQuery, [("https://weather.example/paris", "Paris weather", "enc-paris")])
                .AddPhasedText(Preamble, "commentary", chunkSize: 9)
                .WithExtraFields(TextFields)
                .AddCitation("https://weather.example/paris", "Paris weather", "Sunny all day.");
        }
        else
        {
            reply.AddPhasedText(Preamble, "commentary", chunkSize: 9).WithExtraFields(TextFields);
        }

        return reply
            .AddToolCall(WeatherScript.ParisCallId, WeatherScript.ToolName, """{"city":"Paris","unit":"celsius"}""", fragments: 3)
            .WithExtraFields(Caller)
            .AddToolCall(WeatherScript.TokyoCallId, WeatherScript.ToolName, """{"city":"Tokyo","unit":"fahrenheit"}""", fragments: 2)
            .WithUsage(inputTokens: 52, outputTokens: 30, reasoningTokens: 14);
    }

    /// <summary>
    /// Asserts that the restored history hands over the same Microsoft.Extensions.AI messages as the live one, and that
    /// the tool-use turn holds, in order, the signed reasoning, the server's search (where the protocol has one), the
    /// text with its citation and both calls under the names the model used.
    /// </summary>
    private static void AssertSameMessages(YuHuanProtocol protocol, ChatHistory live, ChatHistory restored)
    {
        var liveMessages = live.Select(message => message.ToYuHuanChatMessage()).ToList();
        var restoredMessages = restored.Select(message => message.ToYuHuanChatMessage()).ToList();
        var liveJson = JsonSerializer.Serialize(liveMessages, AIJsonUtilities.DefaultOptions);
        Assert.Equal(liveJson, JsonSerializer.Serialize(restoredMessages, AIJsonUtilities.DefaultOptions));

        var turn = Assert.Single(liveMessages, message => message.Role == ChatRole.Assistant).Contents;
        var reasoning = turn.OfType<TextReasoningContent>().ToList();
        Assert.Equal(WeatherScript.CallReasoning, string.Concat(reasoning.Select(piece => piece.Text)));
        Assert.Contains(reasoning, piece => piece.ProtectedData == RedactedData);
        var wire = TestProtocols.Kit(protocol);
        if (wire.SendsReasoningSignaturesBack)
        {
            Assert.Contains(reasoning, piece => piece.ProtectedData == WeatherScript.CallSignature);
        }

        if (wire.HostsTools)
        {
            var search = Assert.IsType<WebSearchToolCallContent>(Assert.Single(turn, content => content is WebSearchToolCallContent));
            Assert.True(turn.IndexOf(search) < turn.IndexOf(turn.OfType<Microsoft.Extensions.AI.TextContent>().First()), "The search stands before the text, as it came.");
            Assert.Contains(turn, content => content is WebSearchToolResultContent);
        }

        var text = turn.OfType<Microsoft.Extensions.AI.TextContent>().ToList();
        Assert.Equal(Preamble, string.Concat(text.Select(piece => piece.Text)));
        var citation = Assert.Single(text.SelectMany(piece => piece.Annotations ?? []));
        Assert.Equal("https://weather.example/paris", Assert.IsType<CitationAnnotation>(citation).Url?.AbsoluteUri);
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ToolName), (WeatherScript.TokyoCallId, WeatherScript.ToolName)],
            turn.OfType<Microsoft.Extensions.AI.FunctionCallContent>().Select(call => (call.CallId, call.Name)));
    }

    /// <summary>
    /// Asserts that the request built from the restored history is, as JSON, the one built from the live history, and
    /// that the live one carries the tool-use turn whole: its reasoning with its signature, its text and both calls.
    /// </summary>
    private static void AssertSameNextRequest(YuHuanProtocol protocol, RecordedRequest live, RecordedRequest restored)
    {
        var wire = TestProtocols.Kit(protocol);
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], wire.ToolCalls(live.Json).Select(call => call.CallId));
        Assert.All(wire.ToolCalls(live.Json), call => Assert.Equal(WeatherScript.ToolName, call.Name));
        Assert.Contains(Preamble, live.Body, StringComparison.Ordinal);
        var reasoning = wire.Reasoning(live.Json)[0];
        Assert.Equal(WeatherScript.CallReasoning, reasoning.Text);
        if (wire.SendsReasoningSignaturesBack)
        {
            // A protocol that does not send signatures back as they came carries one only where the server sent it apart.
            Assert.Equal(WeatherScript.CallSignature, reasoning.Signature);
            Assert.Contains(RedactedData, live.Body, StringComparison.Ordinal);
        }

        if (wire.ReasoningItemIdPrefix is { } prefix)
        {
            Assert.StartsWith(prefix, wire.ReasoningItemIds(live.Json)[0], StringComparison.Ordinal);
        }

        if (wire.SendsTextPhase)
        {
            Assert.Contains("\"phase\":\"commentary\"", live.Body, StringComparison.Ordinal);
        }

        // Fields the mapping does not use go back in their blocks or items (where the protocol keeps them; a call's always).
        Assert.Contains("srvtoolu_7", live.Body, StringComparison.Ordinal);
        if (wire.KeepsUnmappedFields)
        {
            Assert.Contains("summarizer-7", live.Body, StringComparison.Ordinal);
            Assert.Contains("en-gb-7", live.Body, StringComparison.Ordinal);
        }

        Assert.True(
            JsonElement.DeepEquals(live.Json, restored.Json),
            $"The request built from the restored history differs from the live one.{Environment.NewLine}live:     {live.Body}{Environment.NewLine}restored: {restored.Body}");
    }

    /// <summary>Runs the kernel loop until the filter ends it after the last call, and returns the results the caller then holds.</summary>
    private async Task<List<KernelFunctionResultContent>> RunToResultsAsync(IChatCompletionService service, ChatHistory history, Kernel kernel, bool streaming)
    {
        if (!streaming)
        {
            var last = Assert.Single(await service.GetChatMessageContentsAsync(history, AutoInvoke, kernel, Timeout));
            Assert.Equal(AuthorRole.Tool, last.Role);
            return [.. last.Items.OfType<KernelFunctionResultContent>()];
        }

        var results = new List<KernelFunctionResultContent>();
        await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, AutoInvoke, kernel, Timeout))
        {
            if (chunk.InnerContent is KernelFunctionResultContent result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>Asks for the next answer from <paramref name="history"/> and checks it came.</summary>
    private async Task AnswerAsync(IChatCompletionService service, ChatHistory history, Kernel kernel, bool streaming)
    {
        var text = new System.Text.StringBuilder();
        if (streaming)
        {
            await foreach (var chunk in service.GetStreamingChatMessageContentsAsync(history, AutoInvoke, kernel, Timeout))
            {
                text.Append(chunk.Content);
            }
        }
        else
        {
            text.Append((await service.GetChatMessageContentAsync(history, AutoInvoke, kernel, Timeout)).Content);
        }

        Assert.Equal(FollowUpAnswer, text.ToString());
    }

    private async Task<string> RunAgentAsync(ChatClientAgent agent, string prompt, AgentSession session, bool streaming)
    {
        if (!streaming)
        {
            return (await agent.RunAsync(prompt, session, cancellationToken: Timeout)).Text;
        }

        var text = new System.Text.StringBuilder();
        await foreach (var update in agent.RunStreamingAsync(prompt, session, cancellationToken: Timeout))
        {
            if (update.Role != ChatRole.Tool)
            {
                text.Append(update.Text);
            }
        }

        return text.ToString();
    }
}
