using System.Text.Json;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>The ASP.NET Core sample run as its own process, the way <c>dotnet run</c> starts it.</summary>
public sealed class AspNetCoreSampleProcessTests
{
    [Fact]
    public async Task Start_ProductionAsAnArgumentAfterTheDoubleDash_WithoutKey_SaysWhichSettingAndExits1()
    {
        // The command README gives: the argument after `--` reaches the app and wins over the launch profile's
        // ASPNETCORE_ENVIRONMENT (dotnet run itself would take `--environment` as its own option).
        const string Command = "dotnet run --project samples/AspNetCore -- --environment Production";
        Assert.Contains(Command, File.ReadAllText(Path.Combine(SamplesBuildTests.RepositoryRoot(), "README.md")), StringComparison.Ordinal);
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = null, ["YuHuan__ApiKey"] = null };
        foreach (var (name, value) in LaunchProfileVariables())
        {
            environment[name] = value;
        }

        var (exitCode, output, error) = await SampleProcess.RunAsync("samples/AspNetCore", environment, "--urls", "http://127.0.0.1:0", "--environment", "Production");

        Assert.True(exitCode == 1, $"exit code {exitCode}: {error}{output}");
        Assert.StartsWith("The app cannot start (Production): The setting 'YuHuan:ApiKey' is missing", error, StringComparison.Ordinal);
        Assert.Contains("YuHuan__ApiKey", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Name, string Value)> LaunchProfileVariables()
    {
        var path = Path.Combine(SamplesBuildTests.RepositoryRoot(), "samples", "AspNetCore", "Properties", "launchSettings.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(path));
        var variables = settings.RootElement.GetProperty("profiles").GetProperty("AspNetCore").GetProperty("environmentVariables");
        return [.. variables.EnumerateObject().Select(v => (v.Name, v.Value.GetString()!))];
    }
}
