using System.Text;

namespace YuHuan.Connector.Tests.Docs;

/// <summary>
/// Keeps every C# block of the READMEs (README.md and src/*/README.md) identical to compiled code in
/// samples/ReadmeSnippets. A README block is a fence <c>```csharp snippet:NAME</c>; its code is the part (or parts,
/// in order) of a snippet file between <c>// &lt;snippet:NAME&gt;</c> and <c>// &lt;/snippet:NAME&gt;</c>. The two
/// are compared line by line after normalizing whitespace (indentation relative to the block, blank lines, runs of
/// spaces), so a README block that was edited without its snippet, a C# block with no snippet, and a snippet no
/// README shows all fail here; the snippets project, being in Connector.sln, is compiled by <c>dotnet test</c>.
/// </summary>
public sealed class ReadmeSnippetsTests
{
    private const string SnippetsFolder = "samples/ReadmeSnippets";
    private const string SnippetsProject = @"samples\ReadmeSnippets\ReadmeSnippets.csproj";

    private static readonly string[] s_csharpFences = ["csharp", "cs", "c#"];

    public static TheoryData<string> Readmes => new(ReadmePaths());

    internal static string RepositoryRoot { get; } = FindRepositoryRoot();

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Readme_EveryCSharpBlock_IsItsCompiledSnippet(string readme)
    {
        var snippets = LoadSnippets();

        var problems = Check(readme, File.ReadAllText(Path.Combine(RepositoryRoot, readme)), snippets);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, problems));
    }

    [Fact]
    public void Snippets_EveryOne_IsShownInAReadme()
    {
        var snippets = LoadSnippets();
        var shown = ReadmePaths()
            .SelectMany(readme => CodeBlocks(File.ReadAllText(Path.Combine(RepositoryRoot, readme))))
            .Select(block => block.SnippetName)
            .ToHashSet(StringComparer.Ordinal);

        var unused = snippets.Keys.Where(name => !shown.Contains(name)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unused.Count == 0, $"Snippets no README shows (show them or delete them): {string.Join(", ", unused)}");
    }

    [Fact]
    public void SnippetsProject_IsInTheSolution_SoThatDotnetTestCompilesIt()
    {
        var solution = File.ReadAllText(Path.Combine(RepositoryRoot, "Connector.sln"));

        Assert.Contains(SnippetsProject, solution, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CSharpBlockWithoutSnippetName_IsReported()
    {
        var readme = Markdown("```csharp", "Console.WriteLine(1);", "```");

        var problems = Check("README.md", readme, Snippets(("a", "Console.WriteLine(1);")));

        Assert.Contains("README.md line 1: a csharp block without a snippet", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BlockNamingAnUnknownSnippet_IsReported()
    {
        var readme = Markdown("```cs snippet:missing", "Console.WriteLine(1);", "```");

        var problems = Check("README.md", readme, Snippets(("a", "Console.WriteLine(1);")));

        Assert.Contains("no snippet 'missing'", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BlockThatDiffersFromItsSnippet_IsReportedWithTheFirstDifferentLine()
    {
        var readme = Markdown("Text.", "```csharp snippet:a", "var x = 1;", "Console.WriteLine(x);", "```");

        var problems = Check("README.md", readme, Snippets(("a", "var x = 1;\nConsole.WriteLine(x + 1);")));

        var problem = Assert.Single(problems);
        Assert.Contains("README.md line 2: the block differs from snippet 'a'", problem, StringComparison.Ordinal);
        Assert.Contains("README:  Console.WriteLine(x);", problem, StringComparison.Ordinal);
        Assert.Contains("snippet: Console.WriteLine(x + 1);", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BlockWithLinesMissing_IsReported()
    {
        var readme = Markdown("```csharp snippet:a", "var x = 1;", "```");

        var problems = Check("README.md", readme, Snippets(("a", "var x = 1;\nConsole.WriteLine(x);")));

        Assert.Contains("(end of block)", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DifferencesOfIndentationBlankLinesAndSpacing_AreIgnored()
    {
        var readme = Markdown("```csharp snippet:a", "if (x)", "{", "    Call(1,  2);   // note", "}", "", "", "Done();", "```");
        var snippetFile = """
            namespace N;

            internal static class C
            {
                public static void M(bool x)
                {
                    // <snippet:a>
                    if (x)
                    {
                        Call(1, 2); // note
                    }

                    Done();
                    // </snippet:a>
                }
            }
            """;

        var problems = Check("README.md", readme, ParseSnippets([("C.cs", snippetFile)]));

        Assert.Empty(problems);
    }

    [Fact]
    public void Check_ChangedIndentationInsideABlock_IsReported()
    {
        var readme = Markdown("```csharp snippet:a", "if (x)", "{", "Call();", "}", "```");

        var problems = Check("README.md", readme, Snippets(("a", "if (x)\n{\n    Call();\n}")));

        Assert.Single(problems);
    }

    [Fact]
    public void ParseSnippets_SeveralMarkedPartsOfAFile_AreOneSnippetInOrder()
    {
        var snippetFile = """
            // <snippet:a>
            using System;

            // </snippet:a>
            namespace N;

            internal static class C
            {
                public static void M()
                {
                    // <snippet:a>
                    Console.WriteLine();
                    // </snippet:a>
                }
            }
            """;

        var snippets = ParseSnippets([("C.cs", snippetFile)]);

        Assert.Equal(new[] { "using System;", "Console.WriteLine();" }, snippets["a"].Lines);
    }

    [Fact]
    public void ParseSnippets_UnclosedOrUnopenedMarkers_Throw()
    {
        Assert.Throws<InvalidOperationException>(() => ParseSnippets([("C.cs", "// <snippet:a>\nx();\n")]));
        Assert.Throws<InvalidOperationException>(() => ParseSnippets([("C.cs", "x();\n// </snippet:a>\n")]));
    }

    [Fact]
    public void ParseSnippets_OneNameInTwoFiles_Throws()
    {
        var file = "// <snippet:a>\nx();\n// </snippet:a>\n";

        Assert.Throws<InvalidOperationException>(() => ParseSnippets([("A.cs", file), ("B.cs", file)]));
    }

    /// <summary>README.md and each package's src/*/README.md, relative to the repository root.</summary>
    private static List<string> ReadmePaths()
    {
        var readmes = new List<string> { "README.md" };
        foreach (var package in Directory.EnumerateDirectories(Path.Combine(RepositoryRoot, "src")).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(package, "README.md")))
            {
                readmes.Add($"src/{Path.GetFileName(package)}/README.md");
            }
        }

        return readmes;
    }

    private static List<string> Check(string readmeName, string readme, IReadOnlyDictionary<string, Snippet> snippets)
    {
        var problems = new List<string>();
        foreach (var block in CodeBlocks(readme))
        {
            var where = $"{readmeName} line {block.Line}";
            if (block.SnippetName.Length == 0)
            {
                problems.Add($"{where}: a csharp block without a snippet. Put its code in {SnippetsFolder} between "
                    + "'// <snippet:NAME>' and '// </snippet:NAME>' and open the fence with '```csharp snippet:NAME'.");
                continue;
            }

            if (!snippets.TryGetValue(block.SnippetName, out var snippet))
            {
                problems.Add($"{where}: no snippet '{block.SnippetName}' in {SnippetsFolder} (known: {string.Join(", ", snippets.Keys.Order(StringComparer.Ordinal))}).");
                continue;
            }

            var shown = Normalize([block.Code]);
            var count = Math.Max(shown.Count, snippet.Lines.Count);
            for (var i = 0; i < count; i++)
            {
                var readmeLine = i < shown.Count ? shown[i] : "(end of block)";
                var snippetLine = i < snippet.Lines.Count ? snippet.Lines[i] : "(end of snippet)";
                if (!string.Equals(readmeLine, snippetLine, StringComparison.Ordinal))
                {
                    problems.Add($"{where}: the block differs from snippet '{block.SnippetName}' ({snippet.File}) at its line {i + 1} "
                        + $"(whitespace normalized); change both together.{Environment.NewLine}"
                        + $"  README:  {readmeLine}{Environment.NewLine}"
                        + $"  snippet: {snippetLine}");
                    break;
                }
            }
        }

        return problems;
    }

    /// <summary>The fenced C# blocks of a Markdown text (CommonMark fences of backticks or tildes).</summary>
    private static List<CodeBlock> CodeBlocks(string markdown)
    {
        var blocks = new List<CodeBlock>();
        var lines = SplitLines(markdown);
        for (var i = 0; i < lines.Length; i++)
        {
            var opening = lines[i].TrimStart(' ');
            if (lines[i].Length - opening.Length > 3 || !TryFence(opening, out var fence))
            {
                continue;
            }

            var info = opening[fence.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = i;
            var code = new StringBuilder();
            for (i++; i < lines.Length; i++)
            {
                var closing = lines[i].Trim();
                if (closing.Length >= fence.Length && closing.All(c => c == fence[0]))
                {
                    break;
                }

                code.Append(lines[i]).Append('\n');
            }

            if (info.Length > 0 && s_csharpFences.Contains(info[0], StringComparer.OrdinalIgnoreCase))
            {
                var name = info.Skip(1).FirstOrDefault(word => word.StartsWith("snippet:", StringComparison.Ordinal))?["snippet:".Length..] ?? string.Empty;
                blocks.Add(new CodeBlock(start + 1, name, code.ToString()));
            }
        }

        return blocks;
    }

    private static bool TryFence(string line, out string fence)
    {
        var length = 0;
        while (length < line.Length && line[length] == line[0] && line[0] is '`' or '~')
        {
            length++;
        }

        fence = line[..length];
        return length >= 3;
    }

    private static Dictionary<string, Snippet> LoadSnippets()
    {
        var folder = Path.Combine(RepositoryRoot, SnippetsFolder);
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/'), File.ReadAllText(path)));
        return ParseSnippets(files);
    }

    /// <summary>Snippets by name: the marked parts of each file, joined in order and normalized.</summary>
    private static Dictionary<string, Snippet> ParseSnippets(IEnumerable<(string Path, string Text)> files)
    {
        var snippets = new Dictionary<string, Snippet>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var open = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
            var lines = SplitLines(text);
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].Trim();
                if (Marker(trimmed, "// <snippet:") is { } opened)
                {
                    if (!open.TryAdd(opened, new StringBuilder()))
                    {
                        throw new InvalidOperationException($"{path} line {i + 1}: snippet '{opened}' is opened twice without being closed.");
                    }
                }
                else if (Marker(trimmed, "// </snippet:") is { } closed)
                {
                    if (!open.Remove(closed, out var part))
                    {
                        throw new InvalidOperationException($"{path} line {i + 1}: snippet '{closed}' is closed but was not opened.");
                    }

                    if (!parts.TryGetValue(closed, out var list))
                    {
                        parts[closed] = list = [];
                    }

                    list.Add(part.ToString());
                }
                else
                {
                    foreach (var part in open.Values)
                    {
                        part.Append(lines[i]).Append('\n');
                    }
                }
            }

            if (open.Count > 0)
            {
                throw new InvalidOperationException($"{path}: snippet '{open.Keys.First()}' is not closed.");
            }

            foreach (var (name, list) in parts)
            {
                if (snippets.TryGetValue(name, out var other))
                {
                    throw new InvalidOperationException($"Snippet '{name}' is in both {other.File} and {path}: keep each snippet in one file.");
                }

                snippets[name] = new Snippet(path, Normalize(list));
            }
        }

        return snippets;
    }

    private static string? Marker(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.Ordinal) && line.EndsWith('>') ? line[prefix.Length..^1].Trim() : null;

    /// <summary>
    /// Each part without its blank lines and trailing spaces, moved left by its smallest indentation, with runs of
    /// spaces after the indentation made one; then the parts one after the other.
    /// </summary>
    private static List<string> Normalize(IEnumerable<string> parts)
    {
        var result = new List<string>();
        foreach (var part in parts)
        {
            var lines = SplitLines(part)
                .Select(line => line.Replace("\t", "    ", StringComparison.Ordinal).TrimEnd())
                .Where(line => line.Length > 0)
                .ToList();
            var indent = lines.Count == 0 ? 0 : lines.Min(line => line.Length - line.TrimStart(' ').Length);
            foreach (var line in lines)
            {
                var body = line.TrimStart(' ');
                var depth = line.Length - body.Length - indent;
                result.Add(new string(' ', depth) + string.Join(' ', body.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        return result;
    }

    private static string[] SplitLines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    private static string Markdown(params string[] lines) => string.Join('\n', lines) + "\n";

    private static Dictionary<string, Snippet> Snippets(params (string Name, string Code)[] snippets) =>
        snippets.ToDictionary(s => s.Name, s => new Snippet($"{s.Name}.cs", Normalize([s.Code])), StringComparer.Ordinal);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Connector.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Connector.sln was not found above {AppContext.BaseDirectory}.");
    }

    private sealed record CodeBlock(int Line, string SnippetName, string Code);

    private sealed record Snippet(string File, List<string> Lines);
}
