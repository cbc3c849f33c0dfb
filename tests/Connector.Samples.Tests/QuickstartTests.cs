using System.Text.RegularExpressions;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>The Quickstart run as a process: its command line, its settings, and what a person sees when one is wrong.</summary>
public sealed partial class QuickstartTests
{
    [Theory]
    [InlineData("chat-completions", "/v1/chat/completions")]
    [InlineData("chat_completions", "/v1/chat/completions")]
    [InlineData("ChatCompletions", "/v1/chat/completions")]
    [InlineData("MESSAGES", "/v1/messages")]
    [InlineData("Responses", "/v1/responses")]
    public async Task Run_ProtocolSpelling_TalksThatProtocol(string name, string path)
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.DefaultReply = EmulatorReply.Text("A lighthouse story.");

        var (exitCode, output, error) = await SampleProcess.RunAsync("samples/Quickstart", SignalTests.Gateway(emulator), "--protocol", name);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}{output}");
        Assert.Contains("A lighthouse story.", output, StringComparison.Ordinal);
        Assert.Equal(path, Assert.Single(emulator.Requests).Path);
    }

    [Theory]
    [MemberData(nameof(TestProtocols.All), MemberType = typeof(TestProtocols))]
    public async Task Run_ProtocolFromTheEnvironment_IsReadTheSameWay(YuHuanProtocol protocol)
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.DefaultReply = EmulatorReply.Text("A lighthouse story.");
        var environment = SignalTests.Gateway(emulator);

        // The enum's name in snake case, as the spelling tests spell one protocol on the command line.
        environment["YUHUAN_PROTOCOL"] = WordStart().Replace(protocol.ToString(), "_").ToLowerInvariant();

        var (exitCode, output, error) = await SampleProcess.RunAsync("samples/Quickstart", environment);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}{output}");
        Assert.Equal(TestProtocols.Kit(protocol).Path, Assert.Single(emulator.Requests).Path);
    }

    [Fact]
    public async Task Help_PrintsUsageAndExitsZero()
    {
        var (exitCode, output, error) = await SampleProcess.RunAsync("samples/Quickstart", new Dictionary<string, string?>(), "--help");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Usage: dotnet run --project samples/Quickstart", output, StringComparison.Ordinal);
        Assert.Contains("--protocol NAME", output, StringComparison.Ordinal);
        Assert.Contains("YUHUAN_API_KEY", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error);
    }

    [Theory]
    [InlineData("Unknown argument '--protocl'.", "--protocl", "messages")]
    [InlineData("Unknown argument 'story'.", "story")]
    [InlineData("--protocol needs a name", "--protocol")]
    [InlineData("'anthropic' is not a protocol: use chat-completions (the default), messages or responses", "--protocol", "anthropic")]
    public async Task BadArgument_PrintsWhatIsWrongAndUsageAndExits2(string message, params string[] arguments)
    {
        var (exitCode, output, error) = await SampleProcess.RunAsync("samples/Quickstart", new Dictionary<string, string?>(), arguments);

        Assert.Equal(2, exitCode);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Contains("Usage: dotnet run --project samples/Quickstart", error, StringComparison.Ordinal);
        AssertNoStackTrace(error + output);
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("api.yuhuanstudio.com/v1")]
    [InlineData("ftp://example.com/v1")]
    public async Task EndpointThatIsNoHttpAddress_SaysSoWithoutAStackTraceAndExits2(string endpoint)
    {
        var environment = new Dictionary<string, string?> { ["YUHUAN_API_KEY"] = "sk-secret-key", ["YUHUAN_ENDPOINT"] = endpoint };

        var (exitCode, output, error) = await SampleProcess.RunAsync("samples/Quickstart", environment);

        Assert.Equal(2, exitCode);
        Assert.Contains($"YUHUAN_ENDPOINT must be an absolute http or https address such as https://api.yuhuanstudio.com/v1; '{endpoint}' is not.", error, StringComparison.Ordinal);
        AssertNoStackTrace(error + output);
        Assert.DoesNotContain("sk-secret-key", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingTheClientRefuses_SaysWhichWithoutAStackTraceAndExits2()
    {
        // Plain http to a host that is not loopback would send the key in clear text: the client refuses it.
        var environment = new Dictionary<string, string?> { ["YUHUAN_API_KEY"] = "sk-secret-key", ["YUHUAN_ENDPOINT"] = "http://example.com/v1" };

        var (exitCode, output, error) = await SampleProcess.RunAsync("samples/Quickstart", environment);

        Assert.Equal(2, exitCode);
        Assert.Contains("uses http:// to a host that is not loopback", error, StringComparison.Ordinal);
        AssertNoStackTrace(error + output);
        Assert.DoesNotContain("sk-secret-key", error + output, StringComparison.Ordinal);
    }

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    /// <summary>The place between a lower-case letter and the capital that starts the next word.</summary>
    [GeneratedRegex("(?<=[a-z])(?=[A-Z])")]
    private static partial Regex WordStart();
}
