using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace YuHuan.Connector.SemanticKernel;

/// <summary>Builds the settings and the chat pipeline the registration extensions register.</summary>
internal static class YuHuanServiceFactory
{
    /// <summary>Creates settings from the parameters of the registration methods.</summary>
    public static YuHuanChatClientOptions CreateOptions(string modelId, string? apiKey, Uri? endpoint, YuHuanProtocol protocol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return new YuHuanChatClientOptions
        {
            ModelId = modelId,
            ApiKey = apiKey,
            Endpoint = endpoint ?? YuHuanChatClientOptions.DefaultEndpoint,
            Protocol = protocol,
        };
    }

    /// <summary>
    /// Checks the settings at registration by constructing a client once, so a bad endpoint, key or protocol
    /// fails where it was configured instead of at the first request. Constructing sends nothing.
    /// </summary>
    public static void Validate(YuHuanChatClientOptions options, HttpClient? httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var probe = new YuHuanChatClient(options, httpClient);
    }

    /// <summary>
    /// Creates the pipeline Semantic Kernel's own connectors build: kernel function invocation outermost (so kernel
    /// filters run), then OpenTelemetry, then logging when an <see cref="ILoggerFactory"/> is registered; innermost, the
    /// conversation is kept on the client's side (<see cref="ClientSideHistoryChatClient"/>), as kernel function invocation needs.
    /// </summary>
    public static IChatClient CreateChatClient(IServiceProvider services, YuHuanChatClientOptions options, HttpClient? httpClient)
    {
        var loggerFactory = services.GetService<ILoggerFactory>();
        var builder = new YuHuanChatClient(options, httpClient, loggerFactory)
            .AsBuilder()
            .UseKernelFunctionInvocation(loggerFactory)
            .UseOpenTelemetry(loggerFactory);
        if (loggerFactory is not null)
        {
            builder.UseLogging(loggerFactory);
        }

        return builder.Use(inner => new ClientSideHistoryChatClient(inner)).Build(services);
    }
}
