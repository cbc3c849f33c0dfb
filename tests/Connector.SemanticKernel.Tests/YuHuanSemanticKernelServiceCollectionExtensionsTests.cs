using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>The service-collection registrations: the pipeline they build, settings, keys and ownership.</summary>
public sealed class YuHuanSemanticKernelServiceCollectionExtensionsTests : KernelTestBase
{
    [Fact]
    public void AddYuHuanKernelChatClient_WithLoggerFactory_BuildsKernelFunctionInvocationThenTelemetryThenLogging()
    {
        using var loggerFactory = new LoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(loggerFactory);
        services.AddYuHuanKernelChatClient(ModelId, endpoint: Emulator.Endpoint);

        var client = Track(services).GetRequiredService<IChatClient>();

        // Semantic Kernel's function-invoking client (which runs kernel filters) is outermost, not MEAI's plain one.
        var invoking = Assert.IsAssignableFrom<FunctionInvokingChatClient>(client);
        Assert.NotEqual(typeof(FunctionInvokingChatClient), invoking.GetType());
        Assert.Equal("KernelFunctionInvokingChatClient", invoking.GetType().Name);

        // GetService looks at a client, then inward: each layer finds only the ones inside it.
        var telemetry = client.GetService<OpenTelemetryChatClient>();
        var logging = client.GetService<LoggingChatClient>();
        Assert.NotNull(telemetry);
        Assert.NotNull(logging);
        Assert.Same(logging, telemetry.GetService<LoggingChatClient>());
        Assert.Null(logging.GetService<OpenTelemetryChatClient>());
        Assert.Null(telemetry.GetService<FunctionInvokingChatClient>());
        Assert.NotNull(logging.GetService<YuHuanChatClient>());
    }

    [Fact]
    public void AddYuHuanKernelChatClient_WithoutLoggerFactory_LeavesLoggingOut()
    {
        var services = new ServiceCollection();
        services.AddYuHuanKernelChatClient(ModelId, endpoint: Emulator.Endpoint);

        var client = Track(services).GetRequiredService<IChatClient>();

        Assert.IsAssignableFrom<FunctionInvokingChatClient>(client);
        Assert.NotNull(client.GetService<OpenTelemetryChatClient>()?.GetService<YuHuanChatClient>());
        Assert.Null(client.GetService<LoggingChatClient>());
    }

    [Fact]
    public async Task AddYuHuanChatCompletion_WithLoggerFactory_LogsThroughItsLoggersAndNeverTheKey()
    {
        const string ApiKey = "sk-logged-0123456789abcdef";
        Emulator.ExpectedApiKey = ApiKey;
        var loggers = new ConcurrentDictionary<string, Mock<ILogger>>(StringComparer.Ordinal);
        var loggerFactory = new Mock<ILoggerFactory>();
        loggerFactory.Setup(factory => factory.CreateLogger(It.IsAny<string>()))
            .Returns((string category) => loggers.GetOrAdd(category, _ => LoggerEnabledAtEveryLevel()).Object);
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory.Object);
        services.AddYuHuanChatCompletion(ModelId, ApiKey, Emulator.Endpoint);
        var service = Track(services).GetRequiredService<IChatCompletionService>();
        Emulator.Enqueue(EmulatorReply.Text("Logged."));

        var answer = await service.GetChatMessageContentAsync("Hello?", cancellationToken: Timeout);

        Assert.Equal("Logged.", answer.Content);
        var entries = loggers
            .SelectMany(pair => pair.Value.Invocations
                .Where(invocation => invocation.Method.Name == nameof(ILogger.Log))
                .Select(invocation => (Category: pair.Key, Text: Describe(invocation.Arguments))))
            .ToList();
        Assert.Contains(entries, entry => entry.Category == typeof(YuHuanChatClient).FullName && entry.Text.Contains("Sending", StringComparison.Ordinal));
        Assert.Contains(entries, entry => entry.Category == typeof(LoggingChatClient).FullName);
        Assert.DoesNotContain(entries, entry => entry.Text.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddYuHuanChatCompletion_Options_SendsTheConfiguredKeyHeadersAndModel()
    {
        Emulator.ExpectedApiKey = "sk-options-key";
        var options = new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ApiKey = "sk-options-key", ModelId = "options-model" };
        options.AdditionalHeaders["X-Tenant"] = "sk-tests";
        var services = new ServiceCollection();
        services.AddYuHuanChatCompletion(options);
        var service = Track(services).GetRequiredService<IChatCompletionService>();
        Emulator.Enqueue(EmulatorReply.Text("Configured."));

        var answer = await service.GetChatMessageContentAsync("Hello?", cancellationToken: Timeout);

        Assert.Equal("Configured.", answer.Content);
        var request = Assert.Single(Emulator.Requests);
        Assert.Equal("Bearer sk-options-key", request.Headers["Authorization"]);
        Assert.Equal("sk-tests", request.Headers["X-Tenant"]);
        Assert.Equal("options-model", request.Json.GetProperty("model").GetString());
        Assert.Equal("options-model", service.GetModelId());
        Assert.Equal(Emulator.Endpoint.ToString(), service.GetEndpoint());
    }

    [Fact]
    public async Task AddYuHuanKernelChatClient_ServiceId_RegistersAKeyedClientOnly()
    {
        var services = new ServiceCollection();
        services.AddYuHuanKernelChatClient("keyed-model", endpoint: Emulator.Endpoint, serviceId: "keyed");
        var provider = Track(services);
        Emulator.Enqueue(EmulatorReply.Text("Keyed."));

        var client = provider.GetRequiredKeyedService<IChatClient>("keyed");
        var response = await client.GetResponseAsync("Hello?", cancellationToken: Timeout);

        Assert.Equal("Keyed.", response.Text);
        Assert.Equal("keyed-model", Assert.Single(Emulator.Requests).Json.GetProperty("model").GetString());
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public async Task AddYuHuanKernelChatClient_CallerHttpClient_IsUsedAndNotDisposedWithTheProvider()
    {
        using var httpClient = new HttpClient();
        var services = new ServiceCollection();
        services.AddYuHuanKernelChatClient(ModelId, endpoint: Emulator.Endpoint, httpClient: httpClient);
        var provider = services.BuildServiceProvider();
        Emulator.Enqueue(EmulatorReply.Text("First."), EmulatorReply.Text("Second."));
        var client = provider.GetRequiredService<IChatClient>();
        Assert.Equal("First.", (await client.GetResponseAsync("Hello?", cancellationToken: Timeout)).Text);

        await provider.DisposeAsync();

        // The provider disposed the pipeline; the caller's HttpClient still works, for a client of the caller's own.
        using var own = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ModelId = "m", MaxRetries = 0 }, httpClient);
        Assert.Equal("Second.", (await own.GetResponseAsync("Hi", cancellationToken: Timeout)).Text);
    }

    [Fact]
    public void AddYuHuanKernelChatClient_InvalidSettings_ThrowAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddYuHuanKernelChatClient(" ", endpoint: Emulator.Endpoint));
        Assert.Throws<ArgumentNullException>(() => services.AddYuHuanKernelChatClient(modelId: null!));
        Assert.Throws<ArgumentException>(() => services.AddYuHuanChatCompletion(ModelId, endpoint: new Uri("v1/", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => services.AddYuHuanChatCompletion(ModelId, apiKey: "sk-line\nbreak"));
        Assert.Throws<ArgumentException>(() => services.AddYuHuanKernelChatClient(ModelId, endpoint: new Uri("http://gateway.example.com/v1")));
        Assert.Throws<ArgumentNullException>(() => services.AddYuHuanChatCompletion(options: null!));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddYuHuanKernelChatClient(ModelId));
        Assert.Empty(services);
    }

    [Fact]
    public async Task CoreAddYuHuanChatClient_WithTheSemanticKernelPackageReferenced_ChainsUseFunctionInvocationAndResolvesThePlainClient()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["YuHuan:Endpoint"] = Emulator.Endpoint.ToString(),
                ["YuHuan:ApiKey"] = "sk-core",
                ["YuHuan:ModelId"] = "core-model",
            })
            .Build());
        Emulator.ExpectedApiKey = "sk-core";

        // The core package's registration, called exactly as its README shows, with both packages referenced.
        services.AddYuHuanChatClient().UseFunctionInvocation();

        var client = Track(services).GetRequiredService<IChatClient>();
        Emulator.Enqueue(EmulatorReply.Text("Plain."));
        var response = await client.GetResponseAsync("Hello?", cancellationToken: Timeout);

        // Microsoft.Extensions.AI's own function invocation over the plain client, not Semantic Kernel's.
        Assert.Equal(typeof(FunctionInvokingChatClient), client.GetType());
        Assert.NotNull(client.GetService<YuHuanChatClient>());
        Assert.Equal("Plain.", response.Text);
        Assert.Equal("core-model", Assert.Single(Emulator.Requests).Json.GetProperty("model").GetString());
    }

    [Fact]
    public void SemanticKernelPackage_DefinesNoMethodNamedLikeTheCoreRegistration()
    {
        var methods = typeof(YuHuanSemanticKernelServiceCollectionExtensions).Assembly.GetExportedTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(method => method.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain("AddYuHuanChatClient", methods);
        Assert.Contains("AddYuHuanKernelChatClient", methods);
        Assert.Contains("AddYuHuanChatCompletion", methods);
    }

    private static Mock<ILogger> LoggerEnabledAtEveryLevel()
    {
        var logger = new Mock<ILogger>();
        logger.Setup(instance => instance.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        return logger;
    }

    /// <summary>Renders an <see cref="ILogger.Log"/> call as everything it carries: the formatted message, each structured value and the exception.</summary>
    private static string Describe(IReadOnlyList<object?> arguments)
    {
        var (state, exception, formatter) = (arguments[2], arguments[3] as Exception, (Delegate)arguments[4]!);
        var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        return string.Join(
            " | ",
            [formatter.DynamicInvoke(state, exception)?.ToString(), .. values.Select(pair => $"{pair.Key}={pair.Value}"), exception?.ToString()]);
    }
}
