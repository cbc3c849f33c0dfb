using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>Settings only Messages reads, registered through dependency injection and configuration.</summary>
public sealed class MessagesServiceCollectionExtensionsTests : EmulatorTestBase
{
    [Fact]
    public async Task AddYuHuanChatClient_UseThinkingBudgetInConfiguration_BudgetedThinkingSent()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(Configuration(("YuHuan:Endpoint", Emulator.Endpoint.AbsoluteUri), ("YuHuan:ApiKey", ApiKey), ("YuHuan:ModelId", "claude-old"), ("YuHuan:Protocol", "Messages"), ("YuHuan:UseThinkingBudget", "true")));
        services.AddYuHuanChatClient();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low }, MaxOutputTokens = 2048 });

        Assert.Equal("""{"type":"enabled","budget_tokens":1024}""", Assert.Single(Emulator.Requests).Json.GetProperty("thinking").GetRawText());
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
