using System.Globalization;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// How hard the fuzz suites push. CI runs <see cref="DefaultIterations"/> cases per property; set
/// <c>YUHUAN_FUZZ_ITERATIONS</c> for a longer run (for example 1000000) and <c>YUHUAN_FUZZ_SEED</c> to replay the
/// seed a failure printed.
/// </summary>
internal static class FuzzSettings
{
    /// <summary>The number of cases per property when no environment variable says otherwise.</summary>
    public const int DefaultIterations = 10_000;

    /// <summary>Gets the number of cases per property.</summary>
    public static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable("YUHUAN_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultIterations;

    /// <summary>Gets the seed to replay, or <see langword="null"/> for a fresh random run.</summary>
    public static string? Seed => Environment.GetEnvironmentVariable("YUHUAN_FUZZ_SEED") is { Length: > 0 } seed ? seed : null;
}
