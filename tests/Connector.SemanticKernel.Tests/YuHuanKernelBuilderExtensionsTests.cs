using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using YuHuan.Connector.Tests;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;
using AIFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>The kernel-builder registrations: the kernel's <see cref="IChatClient"/> path and keyed services.</summary>
public sealed class YuHuanKernelBuilderExtensionsTests : KernelTestBase
{
    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task AddYuHuanKernelChatClient_InvokePromptAsync_RunsPluginThroughBothFilterKinds(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatClient);

        var result = await kernel.InvokePromptAsync(WeatherScript.Prompt, new KernelArguments(AutoInvoke), cancellationToken: Timeout);

        Assert.Equal(WeatherScript.Answer, result.GetValue<string>());
        ScenarioAssert.PluginRanBothCalls(Plugin);
        Assert.Equal(ScenarioAssert.BothFiltersBothCalls, Log.Entries);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);
        var response = result.GetValue<ChatResponse>()!;
        Assert.Equal(WeatherScript.AnswerReasoning, string.Concat(response.Messages[^1].Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task AddYuHuanKernelChatClient_InvokePromptStreamingAsync_StreamsReasoningAndToolResultsAsUpdates(YuHuanProtocol protocol)
    {
        Emulator.Enqueue(WeatherScript.ToolCalls(), WeatherScript.FinalAnswer());
        var kernel = CreateKernel(protocol, Registration.ChatClient);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in kernel.InvokePromptStreamingAsync<ChatResponseUpdate>(WeatherScript.Prompt, new KernelArguments(AutoInvoke), cancellationToken: Timeout))
        {
            updates.Add(update);
        }

        ScenarioAssert.PluginRanBothCalls(Plugin);
        Assert.Equal(ScenarioAssert.BothFiltersBothCalls, Log.Entries);
        ScenarioAssert.SecondRequestCarriesBothResults(Emulator, protocol);
        Assert.Equal(
            WeatherScript.CallReasoning + WeatherScript.AnswerReasoning,
            string.Concat(updates.SelectMany(update => update.Contents.OfType<TextReasoningContent>()).Select(r => r.Text)));
        Assert.Equal(
            [WeatherScript.ParisCallId, WeatherScript.TokyoCallId],
            updates.SelectMany(update => update.Contents.OfType<AIFunctionResultContent>()).Select(result => result.CallId));
        Assert.Equal(WeatherScript.Answer, string.Concat(updates.Where(update => update.Role != ChatRole.Tool).Select(update => update.Text)));
    }

    [Fact]
    public async Task AddYuHuanChatCompletion_ServiceId_RegistersKeyedServicesThePromptSettingsSelect()
    {
        var services = new ServiceCollection();
        services.AddKernel()
            .AddYuHuanChatCompletion("model-fast", endpoint: Emulator.Endpoint, serviceId: "fast")
            .AddYuHuanChatCompletion("model-deep", endpoint: Emulator.Endpoint, serviceId: "deep");
        var provider = Track(services);
        var kernel = provider.GetRequiredService<Kernel>();
        Emulator.Enqueue(EmulatorReply.Text("Deep answer."));

        var result = await kernel.InvokePromptAsync(
            "Think hard.",
            new KernelArguments(new PromptExecutionSettings { ServiceId = "deep" }),
            cancellationToken: Timeout);

        Assert.Equal("Deep answer.", result.GetValue<string>());
        Assert.Equal("model-deep", Assert.Single(Emulator.Requests).Json.GetProperty("model").GetString());
        Assert.Equal("model-fast", kernel.GetRequiredService<IChatCompletionService>("fast").GetModelId());
        Assert.Equal("model-deep", kernel.GetRequiredService<IChatCompletionService>("deep").GetModelId());
        Assert.Null(provider.GetService<IChatCompletionService>());
    }

    [Fact]
    public async Task AddYuHuanKernelChatClient_ServiceId_RegistersKeyedClientsThePromptSettingsSelect()
    {
        var services = new ServiceCollection();
        services.AddKernel()
            .AddYuHuanKernelChatClient("model-fast", endpoint: Emulator.Endpoint, serviceId: "fast")
            .AddYuHuanKernelChatClient("model-deep", endpoint: Emulator.Endpoint, serviceId: "deep");
        var provider = Track(services);
        var kernel = provider.GetRequiredService<Kernel>();
        Emulator.Enqueue(EmulatorReply.Text("Fast answer."));

        var result = await kernel.InvokePromptAsync(
            "Be quick.",
            new KernelArguments(new PromptExecutionSettings { ServiceId = "fast" }),
            cancellationToken: Timeout);

        Assert.Equal("Fast answer.", result.GetValue<string>());
        Assert.Equal("model-fast", Assert.Single(Emulator.Requests).Json.GetProperty("model").GetString());
        Assert.Equal("model-deep", kernel.Services.GetRequiredKeyedService<IChatClient>("deep").GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public void AddYuHuanKernelChatClient_WithoutServiceId_RegistersTheDefaultClient()
    {
        var services = new ServiceCollection();
        services.AddKernel().AddYuHuanKernelChatClient(ModelId, endpoint: Emulator.Endpoint);
        var kernel = Track(services).GetRequiredService<Kernel>();

        var client = kernel.GetRequiredService<IChatClient>();

        Assert.Equal(ModelId, client.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.NotNull(client.GetService<YuHuanChatClient>());
    }

    [Fact]
    public async Task AddYuHuanKernelChatClient_Options_RegistersAClientWithThoseSettings()
    {
        Emulator.ExpectedApiKey = "sk-kernel-options";
        var options = new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ApiKey = "sk-kernel-options", ModelId = "options-model", MaxRetries = 0 };
        var services = new ServiceCollection();
        services.AddKernel().AddYuHuanKernelChatClient(options, serviceId: "configured");
        var kernel = Track(services).GetRequiredService<Kernel>();
        Emulator.Enqueue(EmulatorReply.Text("From options."));

        var result = await kernel.InvokePromptAsync(
            "Hello?",
            new KernelArguments(new PromptExecutionSettings { ServiceId = "configured" }),
            cancellationToken: Timeout);

        Assert.Equal("From options.", result.GetValue<string>());
        var request = Assert.Single(Emulator.Requests);
        Assert.Equal("Bearer sk-kernel-options", request.Headers["Authorization"]);
        Assert.Equal("options-model", request.Json.GetProperty("model").GetString());
    }

    [Fact]
    public void KernelBuilderExtensions_NullArguments_Throw()
    {
        IKernelBuilder builder = null!;
        var options = new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ModelId = ModelId };

        Assert.Throws<ArgumentNullException>(() => builder.AddYuHuanKernelChatClient(ModelId));
        Assert.Throws<ArgumentNullException>(() => builder.AddYuHuanChatCompletion(ModelId));
        Assert.Throws<ArgumentNullException>(() => builder.AddYuHuanKernelChatClient(options));
        Assert.Throws<ArgumentNullException>(() => builder.AddYuHuanChatCompletion(options));
        Assert.Throws<ArgumentNullException>(() => Kernel.CreateBuilder().AddYuHuanChatCompletion(options: null!));
    }
}
