using System.Globalization;
using System.Reflection;
using YuHuan.Connector.Http;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Tests.Docs;

/// <summary>Every limit the client puts on a response is in the README's limits table, with its value, where users look for it.</summary>
public sealed class ReadmeLimitsTests
{
    [Fact]
    public void EveryResponseLimit_IsInTheReadmesLimitsTable_WithItsValue()
    {
        var table = LimitsTable();
        var limits = typeof(ResponseLimits).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();

        Assert.Equal(3, limits.Count);
        foreach (var limit in limits)
        {
            var value = Convert.ToInt64(limit.GetRawConstantValue(), CultureInfo.InvariantCulture);
            var shown = value % (1024 * 1024) == 0 ? $"{value / (1024 * 1024)} MiB" : value.ToString("N0", CultureInfo.InvariantCulture);
            Assert.True(table.Contains("| " + shown + " |", StringComparison.Ordinal), $"{limit.Name} ({shown}) is not in the README's limits table");
        }

        Assert.Contains($"| {QuotedText.MaxQuotedLength.ToString("N0", CultureInfo.InvariantCulture)} characters |", table, StringComparison.Ordinal);
        Assert.Contains("| 10,000 | `response_too_large`", table, StringComparison.Ordinal);
    }

    private static string LimitsTable()
    {
        var readme = File.ReadAllText(Path.Combine(ReadmeSnippetsTests.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("\n### Limits\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '### Limits' section");
        var end = readme.IndexOf("\n## ", start, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }
}
