using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using YuHuan.Connector.Tests;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;
using AIFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using AIFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>A <see cref="ChatClientAgent"/> over the client <c>AddYuHuanKernelChatClient</c> registers, with kernel plugin functions as tools.</summary>
public sealed class ChatClientAgentTests : KernelTestBase
{
    private const string Instructions = "You are a weather assistant. Use the forecast tool.";

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RunStreamingAsync_KernelPluginTools_RunsPluginAndStreamsReasoningCallsAndResults(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var agent = CreateAgent(protocol, Instructions);
        var session = await agent.CreateSessionAsync(Timeout);

        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync(WeatherScript.Prompt, session, cancellationToken: Timeout))
        {
            updates.Add(update);
        }

        ScenarioAssert.PluginRanBothCalls(Plugin);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);

        Assert.Equal(ScenarioAssert.BothFiltersBothCalls, Log.Entries);
        Assert.Contains(Instructions, Emulator.Requests[0].Body, StringComparison.Ordinal);

        Assert.Equal(
            WeatherScript.CallReasoning + WeatherScript.AnswerReasoning,
            string.Concat(updates.SelectMany(update => update.Contents.OfType<TextReasoningContent>()).Select(r => r.Text)));
        Assert.Equal(
            [WeatherScript.ParisCallId, WeatherScript.TokyoCallId],
            updates.SelectMany(update => update.Contents.OfType<AIFunctionCallContent>()).Select(call => call.CallId));
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ParisResult), (WeatherScript.TokyoCallId, WeatherScript.TokyoResult)],
            updates.SelectMany(update => update.Contents.OfType<AIFunctionResultContent>()).Select(result => (result.CallId, result.Result?.ToString())));
        Assert.Equal(WeatherScript.Answer, string.Concat(updates.Where(update => update.Role != ChatRole.Tool).Select(update => update.Text)));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RunStreamingAsync_SecondTurn_SendsTheFirstTurnsCallsAndResultsFromTheSession(YuHuanProtocol protocol)
    {
        const string FollowUp = "And which city is warmer?";
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer(), EmulatorReply.Text("Paris, most likely."));
        var agent = CreateAgent(protocol, Instructions);
        var session = await agent.CreateSessionAsync(Timeout);

        await foreach (var _ in agent.RunStreamingAsync(WeatherScript.Prompt, session, cancellationToken: Timeout))
        {
        }

        var second = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync(FollowUp, session, cancellationToken: Timeout))
        {
            second.Add(update);
        }

        Assert.Equal("Paris, most likely.", string.Concat(second.Select(update => update.Text)));
        var requests = Emulator.Requests;
        Assert.Equal(3, requests.Count);
        var wire = TestProtocols.Kit(protocol);
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], wire.ToolCalls(requests[2].Json).Select(call => call.CallId));
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ParisResult), (WeatherScript.TokyoCallId, WeatherScript.TokyoResult)],
            wire.ToolResults(requests[2].Json));
        Assert.Contains(FollowUp, requests[2].Body, StringComparison.Ordinal);
        Assert.Contains(WeatherScript.Answer, requests[2].Body, StringComparison.Ordinal);
        Assert.Equal(WeatherScript.CallReasoning, wire.Reasoning(requests[2].Json)[0].Text);
        if (wire.SendsReasoningSignaturesBack)
        {
            Assert.Equal(WeatherScript.CallSignature, wire.Reasoning(requests[2].Json)[0].Signature);
        }
        Assert.Equal(2, Plugin.Calls.Count);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task RunStreamingAsync_PluginFunctionsAsPlainTools_RunsPluginAndAnswers(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatClient);
        var tools = kernel.Plugins[WeatherPlugin.PluginName].AsAIFunctions(kernel).ToList<AITool>();
        var agent = new ChatClientAgent(kernel.GetRequiredService<IChatClient>(), Instructions, name: "Forecaster", tools: tools);

        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync(WeatherScript.Prompt, cancellationToken: Timeout))
        {
            updates.Add(update);
        }

        ScenarioAssert.PluginRanBothCalls(Plugin);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);
        Assert.Equal(WeatherScript.Answer, string.Concat(updates.Where(update => update.Role != ChatRole.Tool).Select(update => update.Text)));
        Assert.Contains(updates, update => update.Contents.OfType<TextReasoningContent>().Any());
    }
}
