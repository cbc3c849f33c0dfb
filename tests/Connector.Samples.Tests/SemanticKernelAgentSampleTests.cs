using System.Diagnostics;
using System.Reflection;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>
/// The SemanticKernelAgent sample run as a process against an emulator the test scripts (as it would run against
/// the gateway with YUHUAN_API_KEY and YUHUAN_ENDPOINT set), with no delay between events.
/// </summary>
public sealed class SemanticKernelAgentSampleTests
{
    private const string Forecast = "Weather_GetForecast";
    private const string ParisReasoning = "Two cities, one forecast call each.";

    [Fact]
    public async Task Run_ModelCallsThePlugin_CarriesEachTurnIntoTheNextAndExitsZero()
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.Enqueue(
            new EmulatorReply().AddReasoning(ParisReasoning).AddToolCall("call_paris", Forecast, """{"city":"Paris"}"""),
            EmulatorReply.Text("Paris is sunny."),
            EmulatorReply.Text("Nobody needs an umbrella."),
            new EmulatorReply().AddToolCall("call_reykjavik", Forecast, """{"city":"Reykjavik"}"""),
            EmulatorReply.Text("Reykjavik is overcast."),
            EmulatorReply.Text("Sunny in Paris, overcast in Reykjavik."));

        var (exitCode, output, error) = await RunSampleAsync(emulator);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}{output}");
        Assert.Contains("[tool call] Weather_GetForecast(city: Reykjavik)", output, StringComparison.Ordinal);
        Assert.Contains("[tool result] Reykjavik: overcast", output, StringComparison.Ordinal);

        // Every request is read through the kit of the protocol the sample talks (the client's default).
        var wire = Assert.Single(TestProtocols.Kits, kit => kit.Path == emulator.Requests[0].Path);
        Assert.All(emulator.Requests, r => Assert.Equal(wire.Path, r.Path));

        // The function offered to the model is named as the sample scripts it.
        Assert.Equal([Forecast], wire.ToolNames(emulator.Requests[0].Json));

        // "And what about Reykjavik?" went out with the Paris turn; "Sum that up" with the Reykjavik turn.
        var reykjavik = Texts(wire, Assert.Single(emulator.Requests, r => LastUserText(wire, r) == "And what about Reykjavik?"));
        Assert.Contains("What's the weather like in Paris and in Tokyo today?", reykjavik);
        Assert.Contains("Paris: sunny, 21 °C, light wind", reykjavik);
        Assert.Contains("Paris is sunny.", reykjavik);
        Assert.Contains("Which of the two needs an umbrella?", reykjavik);

        // The kernel loop's history reached the agent whole: the tool-use turn kept its reasoning and its call kept the
        // plugin-qualified name the model used.
        var handedOver = Assert.Single(emulator.Requests, r => LastUserText(wire, r) == "And what about Reykjavik?").Json;
        Assert.Equal(ParisReasoning, Assert.Single(wire.Reasoning(handedOver)).Text);
        Assert.Equal(Forecast, Assert.Single(wire.ToolCalls(handedOver)).Name);
        var sumUp = Texts(wire, Assert.Single(emulator.Requests, r => LastUserText(wire, r) == "Sum that up in one sentence."));
        Assert.Contains("And what about Reykjavik?", sumUp);
        Assert.Contains("Reykjavik: overcast, 8 °C, gusts up to 60 km/h", sumUp);
        Assert.Contains("Reykjavik is overcast.", sumUp);
    }

    [Theory]
    [InlineData("Weather-GetForecast")]
    [InlineData("Weather_get_forecast")]
    [InlineData(null)]
    public async Task Run_PluginNeverCalled_ExitsNonZeroSayingSo(string? calledName)
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        if (calledName is not null)
        {
            // A call to a function the kernel does not have: it answers the model with an error, and the model
            // (here the script) answers anyway, so the output alone would look fine.
            emulator.Enqueue(new EmulatorReply().AddToolCall("call_paris", calledName, """{"city":"Paris"}"""));
        }

        emulator.DefaultReply = EmulatorReply.Text("Sunny everywhere.");

        var (exitCode, output, error) = await RunSampleAsync(emulator);

        Assert.True(exitCode != 0, $"the sample exited 0 though the plugin was never called: {output}");
        Assert.Contains("The Weather plugin was not called in the kernel loop", error, StringComparison.Ordinal);
        Assert.Contains("Weather_GetForecast", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunSampleAsync(YuHuanEmulator emulator)
    {
        var configuration = typeof(SemanticKernelAgentSampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var sample = Path.Combine(SamplesBuildTests.RepositoryRoot(), "samples", "SemanticKernelAgent", "bin", configuration, "net10.0", "SemanticKernelAgent.dll");
        Assert.True(File.Exists(sample), $"{sample} was not built");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(sample);
        start.Environment["YUHUAN_API_KEY"] = "sk-test";
        start.Environment["YUHUAN_ENDPOINT"] = emulator.Endpoint.AbsoluteUri;
        start.Environment["YUHUAN_MODEL"] = "gpt-4o-mini";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample did not finish within 2 minutes: {await output}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The text of the last turn of a request when it is the user's, else <see langword="null"/> (as after a tool call).</summary>
    private static string? LastUserText(WireFormat wire, RecordedRequest request) =>
        wire.Turns(request.Json) is [.., ("user", var text)] ? text : null;

    /// <summary>Every text a request carried: its instructions, each turn's text and each tool result.</summary>
    private static List<string> Texts(WireFormat wire, RecordedRequest request) =>
        [.. wire.Instructions(request.Json), .. wire.Turns(request.Json).Select(turn => turn.Text), .. wire.ToolResults(request.Json).Select(result => result.Result)];
}
