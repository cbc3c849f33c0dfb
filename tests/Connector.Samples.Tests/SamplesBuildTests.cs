using System.Diagnostics;
using System.Text.Json;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>How the samples build: as users' own apps do, where an analyzer or style finding is a warning.</summary>
public sealed class SamplesBuildTests
{
    [Theory]
    [InlineData("samples/Quickstart/Quickstart.csproj")]
    [InlineData("samples/AspNetCore/AspNetCore.csproj")]
    [InlineData("samples/SemanticKernelAgent/SemanticKernelAgent.csproj")]
    [InlineData("samples/CassetteTests/CassetteTests.csproj")]
    public async Task Sample_AnalyzerFindings_AreWarningsNotErrors(string project)
    {
        var properties = await GetPropertiesAsync(project, "TreatWarningsAsErrors", "EnforceCodeStyleInBuild", "Nullable", "TargetFramework");

        Assert.NotEqual("true", properties["TreatWarningsAsErrors"], StringComparer.OrdinalIgnoreCase);
        Assert.NotEqual("true", properties["EnforceCodeStyleInBuild"], StringComparer.OrdinalIgnoreCase);

        // The rest of the repository's settings still apply.
        Assert.Equal("enable", properties["Nullable"]);
        Assert.Equal("net10.0", properties["TargetFramework"]);
    }

    [Fact]
    public async Task Library_AnalyzerFindings_StayErrors()
    {
        var properties = await GetPropertiesAsync("src/Connector/Connector.csproj", "TreatWarningsAsErrors", "EnforceCodeStyleInBuild");

        Assert.Equal("true", properties["TreatWarningsAsErrors"]);
        Assert.Equal("true", properties["EnforceCodeStyleInBuild"]);
    }

    /// <summary>Evaluates a project with <c>dotnet msbuild -getProperty</c> (no build).</summary>
    private static async Task<Dictionary<string, string>> GetPropertiesAsync(string project, params string[] names)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add(Path.Combine(root, project));
        start.ArgumentList.Add("-nologo");
        foreach (var name in names)
        {
            start.ArgumentList.Add($"-getProperty:{name}");
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild failed: {await output}{await error}");

        using var json = JsonDocument.Parse(await output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Connector.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Connector.sln above {AppContext.BaseDirectory}.");
    }
}
