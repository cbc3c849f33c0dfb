using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector;
using YuHuan.Connector.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the YuHuan Studio gateway in an <see cref="IServiceCollection"/> for Semantic Kernel, as an
/// <see cref="IChatClient"/> that runs kernel functions (<c>AddYuHuanKernelChatClient</c>) or as an
/// <see cref="IChatCompletionService"/> (<c>AddYuHuanChatCompletion</c>).
/// </summary>
/// <remarks>
/// <para>
/// Which registration to use: <c>AddYuHuanChatCompletion</c> for the classic kernel loop
/// (<c>kernel.InvokePromptAsync</c>, <see cref="IChatCompletionService"/> with a <see cref="ChatHistory"/>), with
/// reasoning, tool results and usage kept in Semantic Kernel's content types; <c>AddYuHuanKernelChatClient</c> for
/// code that takes an <see cref="IChatClient"/> (a <c>ChatClientAgent</c>, or the kernel's own <see cref="IChatClient"/>
/// path) and should run kernel plugins through the kernel's filters. An app without Semantic Kernel uses
/// <c>AddYuHuanChatClient</c> from the YuHuan.Connector package instead: it registers the plain client and returns a
/// <see cref="ChatClientBuilder"/> to chain <c>UseFunctionInvocation()</c> and other middleware on.
/// </para>
/// <para>
/// The registered service is a singleton (keyed by <c>serviceId</c> when one is given) built when first resolved:
/// a <see cref="YuHuanChatClient"/> wrapped in Semantic Kernel's kernel function invocation
/// (<c>UseKernelFunctionInvocation</c>, which runs kernel plugin functions through the kernel's
/// <see cref="IAutoFunctionInvocationFilter"/> and <see cref="IFunctionInvocationFilter"/> filters), then
/// OpenTelemetry, then logging when an <c>ILoggerFactory</c> is registered. Settings are checked when the method is
/// called, so a bad endpoint or key fails here rather than at the first request.
/// </para>
/// <para>
/// Function names: the model is offered a kernel plugin function as <c>{plugin}_{function}</c>, for example
/// <c>Weather_GetForecast</c> for the function <c>GetForecast</c> of a plugin added as <c>Weather</c>; that is the
/// name its tool calls carry (script an emulator with it). With <c>FunctionChoiceBehavior.Auto(autoInvoke: false)</c>
/// the calls come back to you instead of running: a <see cref="Microsoft.SemanticKernel.FunctionCallContent"/> has the plugin and function
/// names apart (<see cref="Microsoft.SemanticKernel.FunctionCallContent.PluginName"/> <c>Weather</c>, <see cref="Microsoft.SemanticKernel.FunctionCallContent.FunctionName"/>
/// <c>GetForecast</c>), and a streamed <see cref="StreamingFunctionCallUpdateContent"/> is named
/// <c>Weather-GetForecast</c>, Semantic Kernel's streaming form, which <see cref="FunctionCallContentBuilder"/> splits
/// back into the two; either way <see cref="Microsoft.SemanticKernel.FunctionCallContent.InvokeAsync"/> finds the kernel function.
/// </para>
/// </remarks>
public static class YuHuanSemanticKernelServiceCollectionExtensions
{
    /// <summary>
    /// Adds a YuHuan <see cref="IChatClient"/> that runs the kernel's plugin functions (through the kernel's filters)
    /// when the model calls them, to <paramref name="services"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model to use, such as <c>deepseek-chat</c>.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> to send none.</param>
    /// <param name="endpoint">The gateway's base address, or <see langword="null"/> for <see cref="YuHuanChatClientOptions.DefaultEndpoint"/>.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default one.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="modelId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="modelId"/> is empty, a setting is invalid (a relative or insecure endpoint, a key with line breaks),
    /// or <paramref name="protocol"/> is not served by this version.
    /// </exception>
    public static IServiceCollection AddYuHuanKernelChatClient(
        this IServiceCollection services,
        string modelId,
        string? apiKey = null,
        Uri? endpoint = null,
        YuHuanProtocol protocol = YuHuanProtocol.ChatCompletions,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddYuHuanKernelChatClient(YuHuanServiceFactory.CreateOptions(modelId, apiKey, endpoint, protocol), httpClient, serviceId);
    }

    /// <summary>
    /// Adds a YuHuan <see cref="IChatClient"/> configured by <paramref name="options"/>, which runs the kernel's plugin
    /// functions (through the kernel's filters) when the model calls them, to <paramref name="services"/>.
    /// </summary>
    /// <inheritdoc cref="AddYuHuanKernelChatClient(IServiceCollection, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The client settings. They are checked now and read again when the service is first resolved, so do not change them afterwards.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry count or timeout is out of range.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (a relative or insecure endpoint, a key or header with line breaks), or the protocol is not served by this version.</exception>
    public static IServiceCollection AddYuHuanKernelChatClient(
        this IServiceCollection services,
        YuHuanChatClientOptions options,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        YuHuanServiceFactory.Validate(options, httpClient);
        return services.AddKeyedSingleton<IChatClient>(
            serviceId,
            (provider, _) => YuHuanServiceFactory.CreateChatClient(provider, options, httpClient));
    }

    /// <summary>
    /// Adds a YuHuan <see cref="IChatCompletionService"/> to <paramref name="services"/>: the client
    /// <see cref="AddYuHuanKernelChatClient(IServiceCollection, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>
    /// registers, seen through Semantic Kernel's content types, with reasoning, tool results and usage kept.
    /// </summary>
    /// <inheritdoc cref="AddYuHuanKernelChatClient(IServiceCollection, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>
    public static IServiceCollection AddYuHuanChatCompletion(
        this IServiceCollection services,
        string modelId,
        string? apiKey = null,
        Uri? endpoint = null,
        YuHuanProtocol protocol = YuHuanProtocol.ChatCompletions,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddYuHuanChatCompletion(YuHuanServiceFactory.CreateOptions(modelId, apiKey, endpoint, protocol), httpClient, serviceId);
    }

    /// <summary>
    /// Adds a YuHuan <see cref="IChatCompletionService"/> configured by <paramref name="options"/> to <paramref name="services"/>:
    /// the client <see cref="AddYuHuanKernelChatClient(IServiceCollection, YuHuanChatClientOptions, HttpClient?, string?)"/>
    /// registers, seen through Semantic Kernel's content types, with reasoning, tool results and usage kept.
    /// </summary>
    /// <inheritdoc cref="AddYuHuanKernelChatClient(IServiceCollection, YuHuanChatClientOptions, HttpClient?, string?)"/>
    public static IServiceCollection AddYuHuanChatCompletion(
        this IServiceCollection services,
        YuHuanChatClientOptions options,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        YuHuanServiceFactory.Validate(options, httpClient);
        return services.AddKeyedSingleton<IChatCompletionService>(
            serviceId,
            (provider, _) => new YuHuanChatCompletionService(YuHuanServiceFactory.CreateChatClient(provider, options, httpClient)));
    }
}
