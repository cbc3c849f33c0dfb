using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector;
using YuHuan.Connector.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the YuHuan Studio gateway in an <see cref="IServiceCollection"/> for Semantic Kernel, as an
/// <see cref="IChatClient"/> or as an <see cref="IChatCompletionService"/>.
/// </summary>
/// <remarks>
/// The registered service is a singleton (keyed by <c>serviceId</c> when one is given) built when first resolved:
/// a <see cref="YuHuanChatClient"/> wrapped in Semantic Kernel's kernel function invocation
/// (<c>UseKernelFunctionInvocation</c>, which runs kernel plugin functions through the kernel's filters), then
/// OpenTelemetry, then logging when an <c>ILoggerFactory</c> is registered. Settings are checked when the method
/// is called, so a bad endpoint or key fails here rather than at the first request.
/// </remarks>
public static class YuHuanSemanticKernelServiceCollectionExtensions
{
    /// <summary>Adds a YuHuan <see cref="IChatClient"/> to <paramref name="services"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model to use, such as <c>deepseek-chat</c>.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> to send none.</param>
    /// <param name="endpoint">The gateway's base address, or <see langword="null"/> for <see cref="YuHuanChatClientOptions.DefaultEndpoint"/>.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the client under, or <see langword="null"/> to register it as the default client.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="modelId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is empty, or a setting is invalid (a relative or insecure endpoint, a key with line breaks).</exception>
    /// <exception cref="ArgumentException"><paramref name="protocol"/> is not served by this version.</exception>
    public static IServiceCollection AddYuHuanChatClient(
        this IServiceCollection services,
        string modelId,
        string? apiKey = null,
        Uri? endpoint = null,
        YuHuanProtocol protocol = YuHuanProtocol.ChatCompletions,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddYuHuanChatClient(YuHuanServiceFactory.CreateOptions(modelId, apiKey, endpoint, protocol), httpClient, serviceId);
    }

    /// <summary>Adds a YuHuan <see cref="IChatClient"/> configured by <paramref name="options"/> to <paramref name="services"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The client settings. They are checked now and read again when the client is first resolved, so do not change them afterwards.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the client under, or <see langword="null"/> to register it as the default client.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (a relative or insecure endpoint, a key or header with line breaks).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry count or timeout is out of range.</exception>
    /// <exception cref="ArgumentException">A setting is invalid, or the protocol is not served by this version.</exception>
    public static IServiceCollection AddYuHuanChatClient(
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
    /// Adds a YuHuan <see cref="IChatCompletionService"/> to <paramref name="services"/>: the same client as
    /// <see cref="AddYuHuanChatClient(IServiceCollection, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>,
    /// seen through Semantic Kernel's content types, with reasoning, tool results and usage kept.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model to use, such as <c>deepseek-chat</c>.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> to send none.</param>
    /// <param name="endpoint">The gateway's base address, or <see langword="null"/> for <see cref="YuHuanChatClientOptions.DefaultEndpoint"/>.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default service.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="modelId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is empty, or a setting is invalid (a relative or insecure endpoint, a key with line breaks).</exception>
    /// <exception cref="ArgumentException"><paramref name="protocol"/> is not served by this version.</exception>
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

    /// <summary>Adds a YuHuan <see cref="IChatCompletionService"/> configured by <paramref name="options"/> to <paramref name="services"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The client settings. They are checked now and read again when the service is first resolved, so do not change them afterwards.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default service.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (a relative or insecure endpoint, a key or header with line breaks).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry count or timeout is out of range.</exception>
    /// <exception cref="ArgumentException">A setting is invalid, or the protocol is not served by this version.</exception>
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
