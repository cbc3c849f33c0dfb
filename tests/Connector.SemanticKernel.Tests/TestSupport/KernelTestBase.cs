using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>
/// Starts one emulator per test and builds kernels wired to it: the weather plugin, both recording filters and a
/// YuHuan registration. Service providers built here are disposed with the test.
/// </summary>
public abstract class KernelTestBase : IAsyncLifetime
{
    /// <summary>The model every test kernel is registered with.</summary>
    protected const string ModelId = "yuhuan-sk-test";

    private readonly List<ServiceProvider> _providers = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    /// <summary>Gets the emulator of this test.</summary>
    protected YuHuanEmulator Emulator { get; private set; } = null!;

    /// <summary>Gets the plugin instance registered in every kernel of this test.</summary>
    protected WeatherPlugin Plugin { get; } = new();

    /// <summary>Gets the log both recording filters write to.</summary>
    protected InvocationLog Log { get; } = new();

    /// <summary>Gets a token that cancels a test that hangs, so a failure is reported instead of a stuck run.</summary>
    protected CancellationToken Timeout => _timeout.Token;

    /// <summary>Gets settings that let the model call the kernel's functions, which the kernel then runs.</summary>
    protected static PromptExecutionSettings AutoInvoke => new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    /// <inheritdoc />
    public async Task InitializeAsync() => Emulator = await YuHuanEmulator.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Emulator.DisposeAsync();
        _timeout.Dispose();
    }

    /// <summary>Builds a kernel over a fresh service provider, with the plugin and both filters, registered the given way.</summary>
    protected Kernel CreateKernel(YuHuanProtocol protocol, Registration registration, string? terminateAfterCallId = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddKernel();
        _ = registration switch
        {
            Registration.ChatCompletionService => builder.AddYuHuanChatCompletion(ModelId, endpoint: Emulator.Endpoint, protocol: protocol),
            _ => builder.AddYuHuanKernelChatClient(ModelId, endpoint: Emulator.Endpoint, protocol: protocol),
        };
        builder.Plugins.AddFromObject(Plugin, WeatherPlugin.PluginName);
        services.AddSingleton<IAutoFunctionInvocationFilter>(new RecordingAutoFunctionFilter(Log, terminateAfterCallId));
        services.AddSingleton<IFunctionInvocationFilter>(new RecordingFunctionFilter(Log));
        return Track(services).GetRequiredService<Kernel>();
    }

    /// <summary>
    /// Creates an agent over the kernel's <see cref="IChatClient"/> (<c>AddYuHuanKernelChatClient</c>) whose chat options come
    /// from <see cref="PromptExecutionSettingsExtensions.ToChatOptions"/>: the kernel's functions as tools, and the kernel
    /// itself, so the function-invoking layer runs them through the kernel's filters.
    /// </summary>
    protected ChatClientAgent CreateAgent(YuHuanProtocol protocol, string instructions)
    {
        var kernel = CreateKernel(protocol, Registration.ChatClient);
        var chatOptions = AutoInvoke.ToChatOptions(kernel)!;
        chatOptions.Instructions = instructions;
        return new ChatClientAgent(kernel.GetRequiredService<IChatClient>(), new ChatClientAgentOptions { Name = "Forecaster", ChatOptions = chatOptions });
    }

    /// <summary>Builds a service provider that is disposed with the test.</summary>
    protected ServiceProvider Track(IServiceCollection services)
    {
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }
}
