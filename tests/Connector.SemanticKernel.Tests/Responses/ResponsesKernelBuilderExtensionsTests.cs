using Microsoft.SemanticKernel;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;

namespace YuHuan.Connector.SemanticKernel.Tests.Responses;

/// <summary>OpenAI Responses through the kernel-builder registrations: stored responses never chain a kernel's own history.</summary>
public sealed class ResponsesKernelBuilderExtensionsTests : KernelTestBase
{
    [Theory]
    [InlineData(Registration.ChatClient)]
    [InlineData(Registration.ChatCompletionService)]
    public async Task Responses_StoredResponses_KernelKeepsTheWholeHistoryWithoutChaining(Registration registration)
    {
        // The server stores each response and names it, but kernel function invocation works on the history it holds:
        // the second round sends that history whole, never a previous_response_id that would have it dropped.
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(YuHuanProtocol.Responses, registration);

        var result = await kernel.InvokePromptAsync(WeatherScript.Prompt, new KernelArguments(AutoInvoke), cancellationToken: Timeout);

        Assert.Equal(WeatherScript.Answer, result.GetValue<string>());
        ScenarioAssert.PluginRanBothCalls(Plugin);
        var second = Emulator.Requests[1].Json;
        Assert.False(second.TryGetProperty("previous_response_id", out _));
        Assert.Equal("user", second.GetProperty("input")[0].GetProperty("role").GetString());
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, YuHuanProtocol.Responses);
    }
}
