using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using YuHuan.Connector.DependencyInjection;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.DependencyInjection;

/// <summary>Registration through dependency injection, configuration, logging and telemetry.</summary>
public sealed class YuHuanServiceCollectionExtensionsTests : EmulatorTestBase
{
    [Fact]
    public async Task AddYuHuanChatClient_FromConfigurationSection_ResolvesAWorkingClientWithMiddleware()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(Configuration(("YuHuan:Endpoint", Emulator.Endpoint.AbsoluteUri), ("YuHuan:ApiKey", ApiKey), ("YuHuan:ModelId", "from-config"), ("YuHuan:MaxRetries", "0"), ("YuHuan:NetworkTimeout", "45"), ("YuHuan:AdditionalHeaders:X-Tenant", "acme")));
        services.AddYuHuanChatClient().UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("Tell me a story.");

        Assert.NotNull(client.GetService<FunctionInvokingChatClient>());
        Assert.Equal("from-config", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        var request = Assert.Single(Emulator.Requests);
        Assert.Equal("from-config", request.Json.GetProperty("model").GetString());
        Assert.Equal("acme", request.Headers["X-Tenant"]);
        var options = provider.GetRequiredService<IOptionsMonitor<YuHuanChatClientOptions>>().Get(Options.DefaultName);
        Assert.Equal(TimeSpan.FromSeconds(45), options.NetworkTimeout);
    }

    [Fact]
    public async Task AddYuHuanChatClient_IncludeRawRepresentationInConfiguration_UpdatesCarryTheirEvents()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(Configuration(("YuHuan:Endpoint", Emulator.Endpoint.AbsoluteUri), ("YuHuan:ApiKey", ApiKey), ("YuHuan:ModelId", "m"), ("YuHuan:IncludeRawRepresentation", "true")));
        services.AddYuHuanChatClient();
        await using var provider = services.BuildServiceProvider();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in provider.GetRequiredService<IChatClient>().GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.IsType<System.Text.Json.JsonElement>(u.RawRepresentation));
        Assert.True(provider.GetRequiredService<IOptionsMonitor<YuHuanChatClientOptions>>().Get(Options.DefaultName).IncludeRawRepresentation);
    }

    [Fact]
    public async Task AddKeyedYuHuanChatClient_TwoKeys_ResolveSeparatelyConfiguredClients()
    {
        var services = new ServiceCollection();
        services.AddKeyedYuHuanChatClient("fast", o => Point(o, "fast-model"));
        services.AddKeyedYuHuanChatClient("smart", o => Point(o, "smart-model"));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IChatClient>("smart").GetResponseAsync("hi");
        await provider.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("hi");

        Assert.Equal(["smart-model", "fast-model"], Emulator.Requests.Select(r => r.Json.GetProperty("model").GetString()));
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public async Task AddYuHuanChatClient_MissingKeyForRemoteGateway_HostFailsAtStartNamingTheSetting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:ModelId", "m")]);
        builder.Services.AddYuHuanChatClient();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("'YuHuan:ApiKey'", ex.Message);
    }

    [Fact]
    public async Task AddYuHuanChatClient_OtherSection_ValidationNamesThatSectionsKeys()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("Gateway:ApiKey", "k"), new("Gateway:MaxRetries", "-1"), new("Gateway:Protocol", "42")]);
        builder.Services.AddYuHuanChatClient(builder.Configuration.GetSection("Gateway"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // A protocol that does not exist fails validation at start, not the first resolution, named by its key.
        Assert.Contains("'Gateway:Protocol'", ex.Message);
        Assert.DoesNotContain("YuHuan:", ex.Message);
    }

    [Theory]
    [InlineData("NetworkTimeout", "1e300")]
    [InlineData("NetworkTimeout", "NaN")]
    [InlineData("MaxRetryDelay", "Infinity")]
    [InlineData("MaxRetryDelay", "-1e300")]
    public async Task AddYuHuanChatClient_DurationOutOfRange_HostStartFailsNamingTheSetting(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:ApiKey", "k"), new("YuHuan:" + key, value)]);
        builder.Services.AddYuHuanChatClient();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"'YuHuan:{key}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Model", "ModelId")]
    [InlineData("apikey2", "ApiKey")]
    [InlineData("Retries", "MaxRetries")]
    public async Task AddYuHuanChatClient_MisspelledKey_HostStartFailsNamingTheNearestKnownKey(string misspelled, string nearest)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:ApiKey", "k"), new("YuHuan:" + misspelled, "x")]);
        builder.Services.AddYuHuanChatClient();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"'YuHuan:{misspelled}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"did you mean 'YuHuan:{nearest}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_AndHostStart_ShareOneValidator_WithTheSameWording()
    {
        var options = new YuHuanChatClientOptions { ApiKey = "k", MaxRetries = -1 };
        var fromConstructor = Assert.Throws<ArgumentOutOfRangeException>(() => new YuHuanChatClient(options));
        var fromHost = new YuHuanOptionsValidation().Validate(null, options);

        Assert.True(fromHost.Failed);
        Assert.StartsWith("YuHuanChatClientOptions.MaxRetries must not be negative", fromHost.FailureMessage, StringComparison.Ordinal);
        Assert.StartsWith(fromHost.FailureMessage, fromConstructor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddYuHuanChatClient_RelativeEndpointInConfiguration_FailsNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddYuHuanChatClient(Configuration(("Gateway:Endpoint", "v1/chat"), ("Gateway:ApiKey", "k")).GetSection("Gateway"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("Gateway:Endpoint", ex.Message);
    }

    [Fact]
    public async Task AddYuHuanChatClient_WithLogging_LogsRequestsAndRetriesButNeverTheKeyOrContent()
    {
        Emulator.Enqueue(EmulatorReply.HttpError(503, "busy", retryAfter: TimeSpan.Zero), EmulatorReply.Text("the secret answer"));
        var sink = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        services.AddYuHuanChatClient(o => Point(o, "logged-model"));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("my private question");

        Assert.Equal("the secret answer", response.Text);
        var lines = sink.Lines;
        var protocol = TestProtocols.Kit(new YuHuanChatClientOptions().Protocol).Name;
        Assert.Contains(lines, l => l.Contains("logged-model", StringComparison.Ordinal) && l.Contains(protocol, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("503", StringComparison.Ordinal) && l.Contains("retrying", StringComparison.Ordinal));
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain(ApiKey, l, StringComparison.Ordinal);
            Assert.DoesNotContain("private question", l, StringComparison.Ordinal);
            Assert.DoesNotContain("secret answer", l, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task UseOpenTelemetry_EmitsGenAiSpanWithProviderModelAndUsage()
    {
        Emulator.Enqueue(EmulatorReply.Text("traced").WithUsage(12, 3));
        var sourceName = "yuhuan-test-" + Guid.NewGuid().ToString("N");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var services = new ServiceCollection();
        services.AddYuHuanChatClient(o => Point(o, "otel-model")).UseOpenTelemetry(sourceName: sourceName);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        var span = Assert.Single(spans);
        Assert.Equal("yuhuan", span.GetTagItem("gen_ai.provider.name") ?? span.GetTagItem("gen_ai.system"));
        Assert.Equal("otel-model", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(12, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.DoesNotContain(span.Tags, t => t.Value?.Contains(ApiKey, StringComparison.Ordinal) == true);
    }

    private void Point(YuHuanChatClientOptions options, string model)
    {
        options.Endpoint = Emulator.Endpoint;
        options.ApiKey = ApiKey;
        options.ModelId = model;
        options.MaxRetryDelay = TimeSpan.FromSeconds(1);
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        private readonly List<string> _lines = [];

        public List<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new ListLogger(this);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ListLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._lines)
                {
                    owner._lines.Add(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
                }
            }
        }
    }
}
