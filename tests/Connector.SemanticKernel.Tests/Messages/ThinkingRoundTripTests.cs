using Microsoft.SemanticKernel;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests;

namespace YuHuan.Connector.SemanticKernel.Tests.Messages;

/// <summary>
/// Anthropic Messages through the Semantic Kernel adapter: a kernel with a plugin and <see cref="FunctionChoiceBehavior.Auto"/>
/// runs the tool loop, and the request after the calls must carry the model's thinking exactly as it came, signature
/// included, before the <c>tool_use</c> blocks; the API rejects a tool loop whose thinking was altered or dropped.
/// </summary>
public sealed class ThinkingRoundTripTests : KernelTestBase
{
    /// <summary>Both registrations, streamed and not.</summary>
    public static TheoryData<Registration, bool> Pipelines => new()
    {
        { Registration.ChatCompletionService, true },
        { Registration.ChatCompletionService, false },
        { Registration.ChatClient, true },
        { Registration.ChatClient, false },
    };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public async Task InvokePromptAsync_AutoFunctionCalling_ThinkingSignatureTravelsBackUnchanged(Registration registration, bool streaming)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(YuHuanProtocol.Messages, registration);

        var answer = await InvokeAsync(kernel, streaming);

        Assert.Equal(WeatherScript.Answer, answer);
        ScenarioAssert.PluginRanBothCalls(Plugin);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, YuHuanProtocol.Messages);
        var second = Emulator.Requests[1].Json;
        Assert.Equal(["thinking", "tool_use", "tool_use"], MessagesWireFormat.AssistantBlockTypes(second));
        Assert.Equal([(WeatherScript.CallReasoning, WeatherScript.CallSignature)], MessagesWireFormat.Instance.Reasoning(second));
    }

    [Theory]
    [MemberData(nameof(Pipelines))]
    public async Task InvokePromptAsync_AutoFunctionCalling_RedactedThinkingTravelsBackUnchanged(Registration registration, bool streaming)
    {
        const string Data = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pjmN+Q==";
        Emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning(WeatherScript.CallReasoning, chunkSize: 7, signature: WeatherScript.CallSignature)
                .AddRedactedReasoning(Data)
                .AddToolCall(WeatherScript.ParisCallId, WeatherScript.ToolName, """{"city":"Paris","unit":"celsius"}""", fragments: 2)
                .AddToolCall(WeatherScript.TokyoCallId, WeatherScript.ToolName, """{"city":"Tokyo","unit":"fahrenheit"}"""),
            WeatherScript.FinalAnswer());
        var kernel = CreateKernel(YuHuanProtocol.Messages, registration);

        var answer = await InvokeAsync(kernel, streaming);

        Assert.Equal(WeatherScript.Answer, answer);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, YuHuanProtocol.Messages);
        var second = Emulator.Requests[1].Json;
        Assert.Equal(["thinking", "redacted_thinking", "tool_use", "tool_use"], MessagesWireFormat.AssistantBlockTypes(second));
        Assert.Equal(
            [(WeatherScript.CallReasoning, WeatherScript.CallSignature), (string.Empty, Data)],
            MessagesWireFormat.Instance.Reasoning(second));
    }

    /// <summary>Runs the weather prompt with automatic function calling and returns the answer text.</summary>
    private async Task<string> InvokeAsync(Kernel kernel, bool streaming)
    {
        var arguments = new KernelArguments(AutoInvoke);
        if (!streaming)
        {
            var result = await kernel.InvokePromptAsync(WeatherScript.Prompt, arguments, cancellationToken: Timeout);
            return result.GetValue<string>()!;
        }

        var text = new System.Text.StringBuilder();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync<StreamingChatMessageContent>(WeatherScript.Prompt, arguments, cancellationToken: Timeout))
        {
            text.Append(chunk.Content);
        }

        return text.ToString();
    }
}
