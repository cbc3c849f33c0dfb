using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>The service-collection registrations: the pipeline they build, settings, keys and ownership.</summary>
public sealed class YuHuanSemanticKernelServiceCollectionExtensionsTests : KernelTestBase
{
    [Fact]
    public void AddYuHuanChatClient_WithLoggerFactory_BuildsKernelFunctionInvocationThenTelemetryThenLogging()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new RecordingLoggerFactory());
        services.AddYuHuanChatClient(ModelId, endpoint: Emulator.Endpoint);

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
    public void AddYuHuanChatClient_WithoutLoggerFactory_LeavesLoggingOut()
    {
        var services = new ServiceCollection();
        services.AddYuHuanChatClient(ModelId, endpoint: Emulator.Endpoint);

        var client = Track(services).GetRequiredService<IChatClient>();

        Assert.IsAssignableFrom<FunctionInvokingChatClient>(client);
        Assert.NotNull(client.GetService<OpenTelemetryChatClient>()?.GetService<YuHuanChatClient>());
        Assert.Null(client.GetService<LoggingChatClient>());
    }

    [Fact]
    public async Task AddYuHuanChatCompletion_WithLoggerFactory_LogsTheCall()
    {
        var loggerFactory = new RecordingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(loggerFactory);
        services.AddYuHuanChatCompletion(ModelId, endpoint: Emulator.Endpoint);
        var service = Track(services).GetRequiredService<IChatCompletionService>();
        Emulator.Enqueue(EmulatorReply.Text("Logged."));

        var answer = await service.GetChatMessageContentAsync("Hello?", cancellationToken: Timeout);

        Assert.Equal("Logged.", answer.Content);
        Assert.Contains(loggerFactory.Entries, entry => entry.Contains(nameof(LoggingChatClient), StringComparison.Ordinal));
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
    public async Task AddYuHuanChatClient_ServiceId_RegistersAKeyedClientOnly()
    {
        var services = new ServiceCollection();
        services.AddYuHuanChatClient("keyed-model", endpoint: Emulator.Endpoint, serviceId: "keyed");
        var provider = Track(services);
        Emulator.Enqueue(EmulatorReply.Text("Keyed."));

        var client = provider.GetRequiredKeyedService<IChatClient>("keyed");
        var response = await client.GetResponseAsync("Hello?", cancellationToken: Timeout);

        Assert.Equal("Keyed.", response.Text);
        Assert.Equal("keyed-model", Assert.Single(Emulator.Requests).Json.GetProperty("model").GetString());
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public async Task AddYuHuanChatClient_CallerHttpClient_IsUsedAndNotDisposedWithTheProvider()
    {
        using var httpClient = new HttpClient();
        var services = new ServiceCollection();
        services.AddYuHuanChatClient(ModelId, endpoint: Emulator.Endpoint, httpClient: httpClient);
        var provider = services.BuildServiceProvider();
        Emulator.Enqueue(EmulatorReply.Text("First."), EmulatorReply.Text("Second."));
        var client = provider.GetRequiredService<IChatClient>();
        Assert.Equal("First.", (await client.GetResponseAsync("Hello?", cancellationToken: Timeout)).Text);

        await provider.DisposeAsync();

        // The provider disposed the pipeline; the caller's HttpClient still works.
        using var response = await httpClient.PostAsync(
            new Uri(Emulator.Endpoint, "chat/completions"),
            new StringContent("""{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
            Timeout);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Contains("Second.", await response.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public void AddYuHuanChatClient_InvalidSettings_ThrowAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddYuHuanChatClient(" ", endpoint: Emulator.Endpoint));
        Assert.Throws<ArgumentNullException>(() => services.AddYuHuanChatClient(modelId: null!));
        Assert.Throws<ArgumentException>(() => services.AddYuHuanChatCompletion(ModelId, endpoint: new Uri("v1/", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => services.AddYuHuanChatCompletion(ModelId, apiKey: "sk-line\nbreak"));
        Assert.Throws<ArgumentException>(() => services.AddYuHuanChatClient(ModelId, endpoint: new Uri("http://gateway.example.com/v1")));
        Assert.Throws<ArgumentNullException>(() => services.AddYuHuanChatCompletion(options: null!));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddYuHuanChatClient(ModelId));
        Assert.Empty(services);
    }
}
