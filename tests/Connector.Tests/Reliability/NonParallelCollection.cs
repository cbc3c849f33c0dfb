namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// Tests that measure memory or time across the whole process: they run after every other collection, one at a
/// time, so other tests' allocations and CPU use do not blur their numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NonParallelCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Measured alone";
}
