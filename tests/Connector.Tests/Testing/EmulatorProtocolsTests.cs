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
    public void All_IsWhatTheGatewayServes_TheClientsDefaultProtocolFirst()
    {
        Assert.Equal(TestProtocols.Kits.Select(kit => kit.RelativePath), EmulatorProtocols.All.Select(r => r.Route));
        Assert.Equal(TestProtocols.Kits.Select(kit => kit.Renderer), EmulatorProtocols.All);
        Assert.Same(TestProtocols.Kit(new YuHuanChatClientOptions().Protocol).Renderer, EmulatorProtocols.All[0]);
    }

    [Fact]
    public async Task StartAsync_ServesEveryRegisteredProtocol_WithStateOnlyWhereTheRendererKeepsAny()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();

        Assert.Equal(EmulatorProtocols.All, emulator.Protocols.All.Select(p => p.Renderer));
        Assert.Same(EmulatorProtocols.All[0], emulator.Protocols.Default.Renderer);
        Assert.All(emulator.Protocols.All, p => Assert.Equal(p.Renderer is IStatefulRenderer, p.State is not null));
        Assert.Contains(emulator.Protocols.All, p => p.Resources is not null);
        Assert.All(TestProtocols.Kits, kit =>
        {
            var served = emulator.Protocols.Find(kit.Path)!;
            Assert.Same(kit.Renderer, served.Renderer);
            Assert.Same(served.Resources is null ? null : served.State, served.Resources);
        });
    }

    [Fact]
    public async Task StartAsync_TwoEmulators_KeepStateApart()
    {
        await using var first = await YuHuanEmulator.StartAsync();
        await using var second = await YuHuanEmulator.StartAsync();

        var kept = first.Protocols.All.Zip(second.Protocols.All).Where(pair => pair.First.State is not null).ToList();
        Assert.NotEmpty(kept);
        Assert.All(kept, pair => Assert.NotSame(pair.First.State, pair.Second.State));
    }
}
