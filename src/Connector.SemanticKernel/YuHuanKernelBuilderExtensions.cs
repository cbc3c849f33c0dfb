using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Registers the YuHuan Studio gateway with a Semantic Kernel <see cref="IKernelBuilder"/>, as an
/// <see cref="IChatClient"/> or as an <see cref="IChatCompletionService"/>.
/// </summary>
/// <remarks>
/// Both registrations wrap a <see cref="YuHuanChatClient"/> in Semantic Kernel's kernel function invocation,
/// OpenTelemetry, and (when an <c>ILoggerFactory</c> is registered) logging, so that with
/// <see cref="FunctionChoiceBehavior.Auto(IEnumerable{KernelFunction}?, bool, FunctionChoiceBehaviorOptions?)"/>
/// the model's tool calls run kernel plugin functions through the kernel's
/// <see cref="IAutoFunctionInvocationFilter"/> and <see cref="IFunctionInvocationFilter"/> filters.
/// The methods forward to the <see cref="IServiceCollection"/> extensions of the same name.
/// </remarks>
public static class YuHuanKernelBuilderExtensions
{
    /// <summary>Adds a YuHuan <see cref="IChatClient"/> to the kernel's services.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model to use, such as <c>deepseek-chat</c>.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> to send none.</param>
    /// <param name="endpoint">The gateway's base address, or <see langword="null"/> for <see cref="YuHuanChatClientOptions.DefaultEndpoint"/>.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the client under, or <see langword="null"/> to register it as the default client.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="modelId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is empty, or a setting is invalid (a relative or insecure endpoint, a key with line breaks).</exception>
    /// <exception cref="ArgumentException"><paramref name="protocol"/> is not served by this version.</exception>
    public static IKernelBuilder AddYuHuanChatClient(
        this IKernelBuilder builder,
        string modelId,
        string? apiKey = null,
        Uri? endpoint = null,
        YuHuanProtocol protocol = YuHuanProtocol.ChatCompletions,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddYuHuanChatClient(modelId, apiKey, endpoint, protocol, httpClient, serviceId);
        return builder;
    }

    /// <summary>Adds a YuHuan <see cref="IChatClient"/> configured by <paramref name="options"/> to the kernel's services.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The client settings. They are checked now and read again when the client is first resolved, so do not change them afterwards.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the client under, or <see langword="null"/> to register it as the default client.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (a relative or insecure endpoint, a key or header with line breaks).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry count or timeout is out of range.</exception>
    /// <exception cref="ArgumentException">A setting is invalid, or the protocol is not served by this version.</exception>
    public static IKernelBuilder AddYuHuanChatClient(
        this IKernelBuilder builder,
        YuHuanChatClientOptions options,
        HttpClient? httpClient = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddYuHuanChatClient(options, httpClient, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds a YuHuan <see cref="IChatCompletionService"/> to the kernel's services: the same client as
    /// <see cref="AddYuHuanChatClient(IKernelBuilder, string, string?, Uri?, YuHuanProtocol, HttpClient?, string?)"/>,
    /// seen through Semantic Kernel's content types, with reasoning, tool results and usage kept.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model to use, such as <c>deepseek-chat</c>.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> to send none.</param>
    /// <param name="endpoint">The gateway's base address, or <see langword="null"/> for <see cref="YuHuanChatClientOptions.DefaultEndpoint"/>.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default service.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="modelId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is empty, or a setting is invalid (a relative or insecure endpoint, a key with line breaks).</exception>
    /// <exception cref="ArgumentException"><paramref name="protocol"/> is not served by this version.</exception>
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

    /// <summary>Adds a YuHuan <see cref="IChatCompletionService"/> configured by <paramref name="options"/> to the kernel's services.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The client settings. They are checked now and read again when the service is first resolved, so do not change them afterwards.</param>
    /// <param name="httpClient">The <see cref="HttpClient"/> to send requests with (it stays the caller's), or <see langword="null"/> to let the client create and own one.</param>
    /// <param name="serviceId">A key to register the service under, or <see langword="null"/> to register it as the default service.</param>
    /// <returns>The same <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (a relative or insecure endpoint, a key or header with line breaks).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry count or timeout is out of range.</exception>
    /// <exception cref="ArgumentException">A setting is invalid, or the protocol is not served by this version.</exception>
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
