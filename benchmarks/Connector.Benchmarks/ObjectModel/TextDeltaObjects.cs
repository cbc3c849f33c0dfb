using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Benchmarks.ObjectModel;

/// <summary>
/// What one streamed text delta costs in <c>Microsoft.Extensions.AI</c>'s own objects, whoever builds them: the delta's
/// string (all the floor allocates), and the string plus a <see cref="TextContent"/>, a one-slot contents list and a
/// <see cref="ChatResponseUpdate"/> with the identifiers every update carries. The <c>Allocated</c> column is the least
/// a client that yields one update per delta can allocate per delta; the streaming cases are read against it.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("ObjectModel", "Stream")]
public class TextDeltaObjects
{
    // " keeper" as it arrives: 7 UTF-8 bytes, a typical piece of the text fixtures.
    private static readonly byte[] Delta = Encoding.UTF8.GetBytes(" keeper");
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);

    /// <summary>The delta's string alone, as the floor makes it.</summary>
    [Benchmark(Baseline = true, Description = "string")]
    public string Text() => Encoding.UTF8.GetString(Delta);

    /// <summary>The update a client yields for the delta: string, <see cref="TextContent"/>, list, update.</summary>
    [Benchmark(Description = "update+content+list+string")]
    public ChatResponseUpdate Update() =>
        new(ChatRole.Assistant, new List<AIContent>(1) { new TextContent(Encoding.UTF8.GetString(Delta)) })
        {
            ResponseId = "resp-1",
            MessageId = "resp-1",
            ModelId = "gpt-4o-mini",
            CreatedAt = Created,
        };
}
