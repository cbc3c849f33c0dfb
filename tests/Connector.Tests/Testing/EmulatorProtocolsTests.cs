using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>The one registration of the emulator's protocols, and what the emulator derives from it.</summary>
public sealed class EmulatorProtocolsTests
{
    [Fact]
    public void All_RegistersEachProtocolOnce_OnRoutesAndIdPrefixesOfItsOwn()
    {
        var all = EmulatorProtocols.All;

        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(all.Count, all.Select(r => r.Route).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Count, all.Select(r => r.ResponseIdPrefix).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void All_IsWhatTheGatewayServes_ChatCompletionsFirst()
    {
        Assert.Equal(["chat/completions", "messages", "responses"], EmulatorProtocols.All.Select(r => r.Route));
    }

    [Fact]
    public async Task StartAsync_ServesEveryRegisteredProtocol_WithStateOnlyWhereTheRendererKeepsAny()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();

        Assert.Equal(EmulatorProtocols.All, emulator.Protocols.All.Select(p => p.Renderer));
        Assert.Same(EmulatorProtocols.All[0], emulator.Protocols.Default.Renderer);
        Assert.All(emulator.Protocols.All, p => Assert.Equal(p.Renderer is IStatefulRenderer, p.State is not null));
        Assert.Same(emulator.Protocols.State<ResponsesEndpoint>(), emulator.Protocols.Find("/v1/responses")!.Resources);
    }

    [Fact]
    public async Task StartAsync_TwoEmulators_KeepStateApart()
    {
        await using var first = await YuHuanEmulator.StartAsync();
        await using var second = await YuHuanEmulator.StartAsync();

        Assert.NotNull(first.Protocols.State<ResponsesEndpoint>());
        Assert.NotSame(first.Protocols.State<ResponsesEndpoint>(), second.Protocols.State<ResponsesEndpoint>());
    }
}
