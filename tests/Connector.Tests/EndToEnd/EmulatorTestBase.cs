using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>Starts one emulator per test and builds clients that talk to it over loopback HTTP.</summary>
public abstract class EmulatorTestBase : IAsyncLifetime
{
    /// <summary>The key every client sends; the emulator insists on it.</summary>
    protected const string ApiKey = "sk-emulator-secret-0123456789";

    /// <summary>Gets this test's emulator.</summary>
    protected YuHuanEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await YuHuanEmulator.StartAsync();
        Emulator.ExpectedApiKey = ApiKey;
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    protected YuHuanChatClient CreateClient(Action<YuHuanChatClientOptions>? configure = null)
    {
        var options = new YuHuanChatClientOptions
        {
            Endpoint = Emulator.Endpoint,
            ApiKey = ApiKey,
            ModelId = "yuhuan-test",
            MaxRetryDelay = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return new YuHuanChatClient(options);
    }
}
