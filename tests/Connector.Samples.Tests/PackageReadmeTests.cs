using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace YuHuan.Connector.Samples.Tests;

/// <summary>
/// The packages as a reader of their READMEs gets them: packed, then each package README's C# snippets built in a fresh
/// project (outside this repository, so none of its build settings apply) that references only the packages that README
/// says to add, restored from the packed folder (plus the machine's packages folder and NuGet sources for the rest) into an
/// empty packages folder.
/// </summary>
public sealed partial class PackageReadmeTests
{
    private static readonly string[] Packages = ["Connector", "Connector.SemanticKernel", "Connector.Testing"];

    [Fact]
    public async Task EveryPackageReadmeSnippet_BuildsWithOnlyThePackagesThatReadmeSaysToAdd()
    {
        var root = SamplesBuildTests.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("yuhuan-readmes-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");

            // The projects were built with this test project (its sample references build them), in its configuration.
            var solution = Path.Combine(work.FullName, "packages.slnx");
            await File.WriteAllTextAsync(solution, Solution(Packages.Select(p => Path.Combine(root, "src", p, p + ".csproj"))));
            await RunAsync(work.FullName, "pack", solution, "--no-build", "-c", Configuration(), "-o", feed);
            var versions = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileNameWithoutExtension)
                .Select(name => PackageFileName().Match(name!)).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["version"].Value);
            Assert.Equal(["YuHuan.Connector", "YuHuan.Connector.SemanticKernel", "YuHuan.Connector.Testing"], versions.Keys.Order());

            var projects = new List<string>();
            foreach (var package in Packages)
            {
                projects.Add(await WriteProjectAsync(work.FullName, package, await File.ReadAllTextAsync(Path.Combine(root, "src", package, "README.md")), versions, root));
            }

            // The packs, then the machine's packages folder (everything else was restored there for this repository, so
            // no network is needed), then the configured sources, whose failure to answer is no error here.
            var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "nuget.config"), $"""
                <configuration>
                  <packageSources>
                    <add key="yuhuan-packed" value="{feed}" />
                    <add key="machine-packages" value="{machinePackages}" />
                  </packageSources>
                </configuration>
                """);
            var readers = Path.Combine(work.FullName, "readers.slnx");
            await File.WriteAllTextAsync(readers, Solution(projects));

            // An empty packages folder: a copy of YuHuan.* cached by an earlier run cannot stand in for these packs.
            await RunAsync(work.FullName, "build", readers, "-p:RestorePackagesPath=" + Path.Combine(work.FullName, "restored"), "-p:RestoreIgnoreFailedSources=true");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Writes one reader's project from a package README: its snippets, and the packages it says to add.</summary>
    /// <returns>The project's path.</returns>
    private static async Task<string> WriteProjectAsync(string work, string package, string readme, Dictionary<string, string> versions, string root)
    {
        var added = AddPackage().Matches(readme).Select(m => m.Groups["id"].Value).ToList();
        Assert.True(added.Count > 0, $"The README of {package} says no `dotnet add package`.");
        var snippets = Snippet().Matches(readme).ToList();
        Assert.True(snippets.Count > 0, $"The README of {package} has no C# snippet.");

        var usings = new List<string>();
        var body = new StringBuilder();
        var web = false;
        var previousEnd = 0;
        foreach (var snippet in snippets)
        {
            // "In Program.cs, after `var builder = WebApplication.CreateBuilder(args);`": the statement the reader already has.
            var prose = readme[previousEnd..snippet.Index];
            if (After().Match(prose) is { Success: true } after)
            {
                body.AppendLine(after.Groups["statement"].Value);
                web |= after.Groups["statement"].Value.Contains("WebApplication", StringComparison.Ordinal);
            }

            foreach (var line in snippet.Groups["code"].Value.Split('\n'))
            {
                if (UsingDirective().IsMatch(line.TrimEnd()))
                {
                    usings.Add(line.TrimEnd());
                }
                else
                {
                    body.AppendLine(line);
                }
            }

            previousEnd = snippet.Index + snippet.Length;
        }

        // A snippet that is a test class goes in the reader's xUnit test project, which has xunit already.
        var test = usings.Contains("using Xunit;");
        var references = added.Select(id => (id, versions.TryGetValue(id, out var version) ? version : throw new InvalidOperationException($"{id} was not packed"))).ToList();
        if (test)
        {
            references.Add(("xunit", CentralVersion(root, "xunit")));
        }

        var directory = Directory.CreateDirectory(Path.Combine(work, "readers", package)).FullName;
        var project = Path.Combine(directory, "Reader." + package + ".csproj");
        await File.WriteAllTextAsync(project, new XDocument(
            new XElement("Project", new XAttribute("Sdk", web ? "Microsoft.NET.Sdk.Web" : "Microsoft.NET.Sdk"),
                new XElement("PropertyGroup",
                    new XElement("TargetFramework", "net10.0"),
                    new XElement("OutputType", test ? "Library" : "Exe"),
                    new XElement("Nullable", "enable"),
                    new XElement("ImplicitUsings", "enable")),
                new XElement("ItemGroup", references.Select(r => new XElement("PackageReference", new XAttribute("Include", r.Item1), new XAttribute("Version", r.Item2)))))).ToString());
        await File.WriteAllTextAsync(Path.Combine(directory, test ? "Tests.cs" : "Program.cs"), string.Join('\n', usings.Distinct()) + "\n\n" + body);

        // "`WeatherPlugin` stands for any class with `[KernelFunction]` methods": the reader's own class.
        if (StandsFor().Match(readme) is { Success: true } standsFor)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, standsFor.Groups["type"].Value + ".cs"), $$"""
                using System.ComponentModel;
                using Microsoft.SemanticKernel;

                public sealed class {{standsFor.Groups["type"].Value}}
                {
                    [KernelFunction, Description("Gets the forecast for a city.")]
                    public string GetForecast(string city) => city + ": sunny";
                }
                """);
        }

        return project;
    }

    private static string Solution(IEnumerable<string> projects) =>
        new XElement("Solution", projects.Select(p => new XElement("Project", new XAttribute("Path", p)))).ToString();

    private static string CentralVersion(string root, string id) =>
        XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == id).Attribute("Version")!.Value;

    private static string Configuration() =>
        typeof(PackageReadmeTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().SingleOrDefault()?.Configuration ?? "Debug";

    private static async Task RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("-nologo");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{await output}{await error}");
    }

    [GeneratedRegex(@"^(?<id>.+?)\.(?<version>\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)$")]
    private static partial Regex PackageFileName();

    [GeneratedRegex(@"^using (static )?[\w.]+( = [\w.<>, ]+)?;$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^dotnet add package (?<id>\S+)", RegexOptions.Multiline)]
    private static partial Regex AddPackage();

    [GeneratedRegex(@"```csharp[^\n]*\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Snippet();

    [GeneratedRegex(@"after\s+`(?<statement>[^`]+;)`")]
    private static partial Regex After();

    [GeneratedRegex(@"`(?<type>\w+)` stands for any class with `\[KernelFunction\]` methods")]
    private static partial Regex StandsFor();
}
