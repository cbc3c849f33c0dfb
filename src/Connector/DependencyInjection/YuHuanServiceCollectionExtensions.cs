using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using YuHuan.Connector;
using YuHuan.Connector.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="YuHuanChatClient"/> as the app's <see cref="IChatClient"/>.</summary>
/// <remarks>
/// Each method returns Microsoft.Extensions.AI's <see cref="ChatClientBuilder"/>, so middleware chains on naturally:
/// <c>services.AddYuHuanChatClient().UseFunctionInvocation().UseOpenTelemetry().UseLogging();</c>.
/// Requests go through the named <see cref="HttpClient"/> <see cref="HttpClientName"/> from <c>IHttpClientFactory</c>,
/// which the app may decorate (<c>services.AddHttpClient(YuHuanServiceCollectionExtensions.HttpClientName).AddStandardResilienceHandler()</c>).
/// The options are validated when the host starts: a missing key or an endpoint that is not absolute fails with a
/// message that names the setting.
/// </remarks>
public static class YuHuanServiceCollectionExtensions
{
    /// <summary>The configuration section read by default: <c>YuHuan</c>.</summary>
    public const string DefaultSectionName = "YuHuan";

    /// <summary>The name of the <see cref="HttpClient"/> the registered clients use, for <c>services.AddHttpClient(name)</c>.</summary>
    public const string HttpClientName = "YuHuan.Connector";

    /// <summary>Registers the client with settings bound from the <c>YuHuan</c> section of the app's <see cref="IConfiguration"/>.</summary>
    /// <param name="services">The services to add to.</param>
    /// <returns>The builder of the registered <see cref="IChatClient"/> pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddYuHuanChatClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Add(services, serviceKey: null, builder => builder.Configure<IConfiguration>(
            static (options, configuration) => YuHuanConfigurationBinder.Bind(configuration.GetSection(DefaultSectionName), options)));
    }

    /// <summary>Registers the client with settings bound from <paramref name="configuration"/> (a section such as <c>YuHuan</c>).</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="configuration">The section holding <c>Endpoint</c>, <c>ApiKey</c>, <c>ModelId</c>, <c>Protocol</c>, <c>MaxRetries</c>, …</param>
    /// <returns>The builder of the registered <see cref="IChatClient"/> pipeline.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddYuHuanChatClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey: null, builder => builder.Configure(options => YuHuanConfigurationBinder.Bind(configuration, options)));
    }

    /// <summary>Registers the client with settings set in code.</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the registered <see cref="IChatClient"/> pipeline.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddYuHuanChatClient(this IServiceCollection services, Action<YuHuanChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey: null, builder => builder.Configure(configure));
    }

    /// <summary>Registers a keyed client with settings bound from the <c>YuHuan</c> section of the app's <see cref="IConfiguration"/>.</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="serviceKey">The key the client is resolved by (<c>[FromKeyedServices(key)] IChatClient</c>).</param>
    /// <returns>The builder of the registered <see cref="IChatClient"/> pipeline.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddKeyedYuHuanChatClient(this IServiceCollection services, object serviceKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        return Add(services, serviceKey, builder => builder.Configure<IConfiguration>(
            (options, configuration) => YuHuanConfigurationBinder.Bind(configuration.GetSection(DefaultSectionName), options, serviceKey)));
    }

    /// <summary>Registers a keyed client with settings bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="serviceKey">The key the client is resolved by.</param>
    /// <param name="configuration">The section holding the settings.</param>
    /// <returns>The builder of the registered <see cref="IChatClient"/> pipeline.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddKeyedYuHuanChatClient(this IServiceCollection services, object serviceKey, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey, builder => builder.Configure(options => YuHuanConfigurationBinder.Bind(configuration, options, serviceKey)));
    }

    /// <summary>Registers a keyed client with settings set in code.</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="serviceKey">The key the client is resolved by.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the registered <see cref="IChatClient"/> pipeline.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddKeyedYuHuanChatClient(this IServiceCollection services, object serviceKey, Action<YuHuanChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey, builder => builder.Configure(configure));
    }

    private static ChatClientBuilder Add(IServiceCollection services, object? serviceKey, Action<OptionsBuilder<YuHuanChatClientOptions>> configure)
    {
        var name = serviceKey is null ? Options.Options.DefaultName : YuHuanOptionsValidation.KeyedNamePrefix + serviceKey;
        var optionsBuilder = services.AddOptions<YuHuanChatClientOptions>(name);
        configure(optionsBuilder);
        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<YuHuanChatClientOptions>, YuHuanOptionsValidation>());

        if (!services.Any(static d => d.ServiceType == typeof(YuHuanHttpClientMarker)))
        {
            services.AddSingleton<YuHuanHttpClientMarker>();
            services.AddHttpClient(HttpClientName)
                .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
                {
                    AutomaticDecompression = DecompressionMethods.All,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AllowAutoRedirect = false,
                });
        }

        IChatClient Create(IServiceProvider provider) => new YuHuanChatClient(
            provider.GetRequiredService<IOptionsMonitor<YuHuanChatClientOptions>>().Get(name),
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetService<ILoggerFactory>(),
            followsNoRedirects: true);

        return serviceKey is null ? services.AddChatClient(Create) : services.AddKeyedChatClient(serviceKey, Create);
    }
}
