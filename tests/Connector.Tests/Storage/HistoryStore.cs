namespace YuHuan.Connector.Tests.Storage;

/// <summary>A place an app keeps a conversation between turns.</summary>
public enum HistoryStore
{
    /// <summary>The messages as JSON, written and read with <c>AIJsonUtilities.DefaultOptions</c>.</summary>
    Json,

    /// <summary>The reply as <c>UseDistributedCache</c> keeps it, over a <c>MemoryDistributedCache</c>, read back by a cache hit.</summary>
    DistributedCache,
}
