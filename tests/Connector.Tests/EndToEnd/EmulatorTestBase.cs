using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// Starts one emulator per test and builds clients that talk to it over loopback HTTP. A test that runs over every
/// protocol names its protocol first (<see cref="UseProtocol"/>); the clients it then creates speak that protocol.
/// </summary>
public abstract class EmulatorTestBase : IAsyncLifetime
{
    /// <summary>The key every client sends; the emulator insists on it.</summary>
    protected const string ApiKey = "sk-emulator-secret-0123456789";

    private WireFormat? _wire;

    /// <summary>Gets this test's emulator.</summary>
    protected YuHuanEmulator Emulator { get; private set; } = null!;

    /// <summary>Gets the kit of the protocol under test, which <see cref="UseProtocol"/> set.</summary>
    protected WireFormat Wire => _wire ?? throw new InvalidOperationException("The test names its protocol first: UseProtocol(protocol).");

    /// <summary>Gets the protocol under test.</summary>
    protected YuHuanProtocol Protocol => Wire.Protocol;

    public async Task InitializeAsync()
    {
        Emulator = await YuHuanEmulator.StartAsync();
        Emulator.ExpectedApiKey = ApiKey;
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>Sets the protocol under test, whose kit <see cref="Wire"/> then is.</summary>
    protected void UseProtocol(YuHuanProtocol protocol) => _wire = TestProtocols.Kit(protocol);

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
