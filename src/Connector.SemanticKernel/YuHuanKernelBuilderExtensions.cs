using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Registers the YuHuan Studio gateway with a Semantic Kernel <see cref="IKernelBuilder"/>, as an
/// <see cref="IChatClient"/> that runs kernel functions (<c>AddYuHuanKernelChatClient</c>) or as an
/// <see cref="IChatCompletionService"/> (<c>AddYuHuanChatCompletion</c>).
/// </summary>
/// <remarks>
/// The methods forward to the <see cref="IServiceCollection"/> extensions of the same name in
/// <see cref="YuHuanSemanticKernelServiceCollectionExtensions"/>, whose remarks say which to use when and how kernel
/// functions are named (<c>Weather_GetForecast</c> to the model). Both wrap a <see cref="YuHuanChatClient"/> in
/// Semantic Kernel's kernel function invocation, OpenTelemetry, and (when an <c>ILoggerFactory</c> is registered)
/// logging, so that with
/// <see cref="FunctionChoiceBehavior.Auto(IEnumerable{KernelFunction}?, bool, FunctionChoiceBehaviorOptions?)"/>
/// the model's tool calls run kernel plugin functions through the kernel's
/// <see cref="IAutoFunctionInvocationFilter"/> and <see cref="IFunctionInvocationFilter"/> filters.
/// </remarks>
public static class YuHuanKernelBuilderExtensions
{
    /// <summary>
    /// Adds a YuHuan <see cref="IChatClient"/> that runs the kernel's plugin functions (through the kernel's filters)
    /// when the model calls them, to the kernel's services.
    /// </summary>
    /// <inheritdoc cref="YuHuanSemanticKernelServiceCollectionExtensions.AddYuHuanKernelChatClient(IServiceCollection, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model to use, such as <c>deepseek-chat</c>.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> to send none.</param>
    /// <param name="endpoint">The gateway's base address, or <see langword="null"/> for <see cref="YuHuanChatClientOptions.DefaultEndpoint"/>.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default one.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="modelId"/> is <see langword="null"/>.</exception>
    public static IKernelBuilder AddYuHuanKernelChatClient(
        this IKernelBuilder builder,
        string modelId,
        string? apiKey = null,
        Uri? endpoint = null,
        YuHuanProtocol protocol = YuHuanProtocol.ChatCompletions,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddYuHuanKernelChatClient(modelId, apiKey, endpoint, protocol, httpClient, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds a YuHuan <see cref="IChatClient"/> configured by <paramref name="options"/>, which runs the kernel's plugin
    /// functions (through the kernel's filters) when the model calls them, to the kernel's services.
    /// </summary>
    /// <inheritdoc cref="YuHuanSemanticKernelServiceCollectionExtensions.AddYuHuanKernelChatClient(IServiceCollection, YuHuanChatClientOptions, HttpClient?, string?)"/>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The client settings. They are checked now and read again when the service is first resolved, so do not change them afterwards.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default one.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static IKernelBuilder AddYuHuanKernelChatClient(
        this IKernelBuilder builder,
        YuHuanChatClientOptions options,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddYuHuanKernelChatClient(options, httpClient, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds a YuHuan <see cref="IChatCompletionService"/> to the kernel's services: the client
    /// <see cref="AddYuHuanKernelChatClient(IKernelBuilder, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>
    /// registers, seen through Semantic Kernel's content types, with reasoning, tool results and usage kept.
    /// </summary>
    /// <inheritdoc cref="AddYuHuanKernelChatClient(IKernelBuilder, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>
    public static IKernelBuilder AddYuHuanChatCompletion(
        this IKernelBuilder builder,
        string modelId,
        string? apiKey = null,
        Uri? endpoint = null,
        YuHuanProtocol protocol = YuHuanProtocol.ChatCompletions,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddYuHuanChatCompletion(modelId, apiKey, endpoint, protocol, httpClient, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds a YuHuan <see cref="IChatCompletionService"/> configured by <paramref name="options"/> to the kernel's services:
    /// the client <see cref="AddYuHuanKernelChatClient(IKernelBuilder, YuHuanChatClientOptions, HttpClient?, string?)"/>
    /// registers, seen through Semantic Kernel's content types, with reasoning, tool results and usage kept.
    /// </summary>
    /// <inheritdoc cref="AddYuHuanKernelChatClient(IKernelBuilder, YuHuanChatClientOptions, HttpClient?, string?)"/>
    public static IKernelBuilder AddYuHuanChatCompletion(
        this IKernelBuilder builder,
        YuHuanChatClientOptions options,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddYuHuanChatCompletion(options, httpClient, serviceId);
        return builder;
    }
}
