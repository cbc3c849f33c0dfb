using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM sent with <c>kill</c> to real processes: one that only hosts the emulator, the
/// Quickstart and the SemanticKernelAgent sample. Each must end promptly, as a console program does; Ctrl+C in a sample
/// prints nothing more and exits 130.
/// </summary>
public sealed class SignalTests
{
    private const string Paused = "Once upon ";

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task EmulatorHost_Signal_ProcessEnds(string signal, int exitCode)
    {
        using var host = SampleProcess.Start("tests/EmulatorHost", new Dictionary<string, string?>());
        await host.WaitForOutputAsync("/v1/");

        await host.SignalAsync(signal);

        Assert.Equal(exitCode, await host.WaitForExitAsync());
    }

    [Fact]
    public async Task Quickstart_SigtermWhileItsOwnEmulatorStreams_ProcessEnds()
    {
        using var quickstart = SampleProcess.Start("samples/Quickstart", new Dictionary<string, string?>());
        await quickstart.WaitForOutputAsync("[thinking]");

        await quickstart.SignalAsync("TERM");

        Assert.Equal(143, await quickstart.WaitForExitAsync());
    }

    [Fact]
    public async Task Quickstart_CtrlCMidStream_PrintsNothingMoreAndExits130()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.Enqueue(PausedReply());
        using var quickstart = SampleProcess.Start("samples/Quickstart", Gateway(emulator));
        await quickstart.WaitForOutputAsync(Paused);

        await quickstart.SignalAsync("INT");

        Assert.Equal(130, await quickstart.WaitForExitAsync());
        Assert.Equal(string.Empty, quickstart.Error);
        Assert.EndsWith(Paused, quickstart.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SemanticKernelAgent_CtrlCMidStream_PrintsNothingMoreAndExits130()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.Enqueue(PausedReply());
        using var sample = SampleProcess.Start("samples/SemanticKernelAgent", Gateway(emulator));
        await sample.WaitForOutputAsync(Paused);

        await sample.SignalAsync("INT");

        Assert.Equal(130, await sample.WaitForExitAsync());
        Assert.Equal(string.Empty, sample.Error);
        Assert.EndsWith(Paused, sample.Output, StringComparison.Ordinal);
    }

    /// <summary>The role chunk and two pieces of the answer, then a pause that only the client's going away ends.</summary>
    private static EmulatorReply PausedReply() =>
        new EmulatorReply().AddText(Paused + "a time.", chunkSize: 5).PauseAfter(3, new TaskCompletionSource().Task);

    internal static Dictionary<string, string?> Gateway(YuHuanEmulator emulator) => new()
    {
        ["YUHUAN_API_KEY"] = "sk-test",
        ["YUHUAN_ENDPOINT"] = emulator.Endpoint.AbsoluteUri,
    };
}
