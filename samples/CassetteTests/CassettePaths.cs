using System.Runtime.CompilerServices;

namespace CassetteTests;

/// <summary>Where this project's cassettes are, so that a recording replaces the committed file.</summary>
internal static class CassettePaths
{
    /// <summary>Gets the path of a cassette in the project's <c>Cassettes</c> folder.</summary>
    /// <param name="name">The file name, such as <c>weather.jsonl</c>.</param>
    /// <returns>The file in the source tree when the project's folder is there (a checkout); otherwise the copy in the
    /// build output, which can be replayed but whose recording would be lost with the next build.</returns>
    public static string Of(string name)
    {
        // A relative path would resolve against the test's working folder, bin/<configuration>/net10.0/: a replay would
        // read the copy made by the build (CopyToOutputDirectory), but a recording (YUHUAN_CASSETTE_MODE=record) would
        // write there too, and never reach the file that is committed. [CallerFilePath] gives the compiler's path of
        // this source file, that is the project folder of the checkout that was built.
        var inSources = Path.Combine(ProjectFolder(), "Cassettes");
        var folder = Directory.Exists(inSources) ? inSources : Path.Combine(AppContext.BaseDirectory, "Cassettes");
        return Path.Combine(folder, name);
    }

    private static string ProjectFolder([CallerFilePath] string sourceFile = "") =>
        Path.GetDirectoryName(sourceFile) ?? string.Empty;
}
