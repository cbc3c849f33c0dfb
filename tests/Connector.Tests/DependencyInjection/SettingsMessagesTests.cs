using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.DependencyInjection;

/// <summary>
/// What a newcomer reads when a setting is missing or misspelled: the same check and wording in code and at host start,
/// the configuration key rather than the property, the keyed registration's key, and one set of protocol spellings.
/// </summary>
public sealed class SettingsMessagesTests : EmulatorTestBase
{
    [Fact]
    public async Task Request_NoModelAnywhereUnderDependencyInjection_NamesTheConfigurationKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:Endpoint", Emulator.Endpoint.AbsoluteUri), new("YuHuan:ApiKey", ApiKey)]);
        builder.Services.AddYuHuanChatClient();
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<IChatClient>();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi"));

        Assert.StartsWith("No model was given: set ChatOptions.ModelId for the call, or the setting 'YuHuan:ModelId'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("YuHuan__ModelId", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
        await host.StopAsync();
    }

    [Fact]
    public async Task Request_NoModelInCode_NamesTheProperty()
    {
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ApiKey = ApiKey });

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi"));

        Assert.StartsWith("No model was given: set ChatOptions.ModelId for the call, or YuHuanChatClientOptions.ModelId for the client.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public async Task Request_ModelOnlyInTheCallsOptions_IsSent()
    {
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ApiKey = ApiKey });

        await client.GetResponseAsync("hi", new ChatOptions { ModelId = "per-call" });

        Assert.Equal("per-call", Assert.Single(Emulator.Requests).Json.GetProperty("model").GetString());
    }

    [Fact]
    public void Constructor_NoApiKeyForARemoteGateway_FailsAsHostStartDoes()
    {
        var options = new YuHuanChatClientOptions { ModelId = "m" };

        var fromConstructor = Assert.Throws<ArgumentException>(() => new YuHuanChatClient(options));
        var fromHost = new YuHuan.Connector.DependencyInjection.YuHuanOptionsValidation().Validate(null, options);

        Assert.StartsWith("YuHuanChatClientOptions.ApiKey is missing; the gateway at api.yuhuanstudio.com needs one", fromConstructor.Message, StringComparison.Ordinal);
        Assert.True(fromHost.Failed);
        Assert.StartsWith(fromHost.FailureMessage, fromConstructor.Message, StringComparison.Ordinal);
    }

    /// <summary>Gets each header any protocol carries the key in, with the value that carries <c>from-a-vault</c>.</summary>
    public static TheoryData<string, string> KeyHeaders
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (header, value) in TestProtocols.Kits.SelectMany(kit => kit.KeyHeaders("from-a-vault")).DistinctBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                data.Add(header, value);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(KeyHeaders))]
    public void Constructor_NoApiKeyButAnAuthenticationHeader_IsAccepted(string header, string value)
    {
        var options = new YuHuanChatClientOptions { ModelId = "m" };
        options.AdditionalHeaders[header] = value;

        using var client = new YuHuanChatClient(options);

        Assert.Contains("api.yuhuanstudio.com", client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_NoApiKeyForTheEmulatorOnLoopback_Works()
    {
        Emulator.ExpectedApiKey = null;
        using var client = new YuHuanChatClient(new YuHuanChatClientOptions { Endpoint = Emulator.Endpoint, ModelId = "m" });

        var response = await client.GetResponseAsync("hi");

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
    }

    [Fact]
    public async Task KeyedRegistration_FailsValidation_SaysWhichKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKeyedYuHuanChatClient("fast", o => o.ModelId = "qwen-turbo");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("The client registered with AddKeyedYuHuanChatClient(\"fast\"): YuHuanChatClientOptions.ApiKey is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyedRegistration_BoundSettingUnreadable_SaysWhichKeyAndSetting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:ApiKey", "k"), new("YuHuan:MaxRetries", "two")]);
        builder.Services.AddKeyedYuHuanChatClient("fast");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("The client registered with AddKeyedYuHuanChatClient(\"fast\"): The setting 'YuHuan:MaxRetries' must be a whole number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnkeyedRegistration_FailsValidation_NamesNoKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddYuHuanChatClient(o => o.ModelId = "m");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.StartsWith("YuHuanChatClientOptions.ApiKey is missing", ex.Failures.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat-completions", YuHuanProtocol.ChatCompletions)]
    [InlineData("chat_completions", YuHuanProtocol.ChatCompletions)]
    [InlineData("ChatCompletions", YuHuanProtocol.ChatCompletions)]
    [InlineData("CHATCOMPLETIONS", YuHuanProtocol.ChatCompletions)]
    [InlineData(" Chat-Completions ", YuHuanProtocol.ChatCompletions)]
    [InlineData("messages", YuHuanProtocol.Messages)]
    [InlineData("Messages", YuHuanProtocol.Messages)]
    [InlineData("RESPONSES", YuHuanProtocol.Responses)]
    public async Task ProtocolSpelling_IsReadAlikeByConfigurationAndParseProtocol(string name, YuHuanProtocol expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:ApiKey", "k"), new("YuHuan:Protocol", name)]);
        builder.Services.AddYuHuanChatClient();
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Equal(expected, host.Services.GetRequiredService<IOptionsMonitor<YuHuanChatClientOptions>>().Get(Options.DefaultName).Protocol);
        Assert.Equal(expected, YuHuanChatClientOptions.ParseProtocol(name));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("1")]
    [InlineData("chat")]
    public async Task ProtocolSpelling_Unknown_ListsTheAcceptedSpellingsInBothPlaces(string name)
    {
        const string Accepted = "chat-completions (the default), messages or responses";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("YuHuan:ApiKey", "k"), new("YuHuan:Protocol", name)]);
        builder.Services.AddYuHuanChatClient();
        using var host = builder.Build();

        var fromHost = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        var fromParse = Assert.Throws<ArgumentException>(() => YuHuanChatClientOptions.ParseProtocol(name));

        Assert.Contains($"The setting 'YuHuan:Protocol' must be {Accepted}", fromHost.Message, StringComparison.Ordinal);
        Assert.Equal($"'{name}' is not a protocol: use {Accepted} (any case; words joined by '-', '_' or nothing, as in ChatCompletions).", fromParse.Message);
    }
}
