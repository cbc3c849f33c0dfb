using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;

namespace YuHuan.Connector.Benchmarks.Infrastructure;

/// <summary>
/// The shape every in-memory streaming case shares: one pre-built stream served by a <see cref="ReplayHandler"/>
/// to our client, to each competitor and to the floor, all verified once in <see cref="Setup"/> before anything
/// is timed. A case derives from it, names its fixture and competitors, and declares one benchmark per client.
/// </summary>
/// <remarks>
/// A protocol's cases live in its folder (<c>ChatCompletions/</c>, <c>Messages/</c>, <c>Responses/</c>): the fixture
/// builder, the competitor and one subclass per fixture. Nothing else names a protocol: <c>--verify</c> and
/// <c>--paired</c> find every subclass (<see cref="AllCases"/>), BenchmarkDotNet finds their benchmarks.
/// </remarks>
public abstract class StreamingBenchmark
{
    private static readonly IList<ChatMessage> Prompt = [new(ChatRole.User, "Tell me a story.")];

    private ReplayHandler? _handler;
    private IChatClient? _ours;
    private IChatClient? _oursRaw;
    private IChatClient? _competitor;
    private SseFloor? _floor;

    /// <summary>Gets our client.</summary>
    protected IChatClient Ours => _ours ?? throw NotSetUp();

    /// <summary>Gets our client with <see cref="YuHuanChatClientOptions.IncludeRawRepresentation"/> on.</summary>
    protected IChatClient OursRaw => _oursRaw ?? throw NotSetUp();

    /// <summary>Gets the competitor's client.</summary>
    protected IChatClient Competitor => _competitor ?? throw NotSetUp();

    /// <summary>Builds the stream, the clients and the floor, and checks that each reads the stream correctly.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var fixture = Build();
        VerifyOursAsync(fixture).GetAwaiter().GetResult();
        StreamVerifier.VerifyAsync("YuHuan (raw on)", OursRaw, Prompt, fixture.Expected).GetAwaiter().GetResult();
        VerifyCompetitorAsync(fixture).GetAwaiter().GetResult();
        VerifyFloorAsync(fixture).GetAwaiter().GetResult();
    }

    /// <summary>Builds what <see cref="Setup"/> builds and verifies each reader on its own, without stopping at
    /// the first that fails (<c>--verify</c>).</summary>
    /// <returns>One line per reader: its name and "ok", or what it misread.</returns>
    internal async Task<IReadOnlyList<string>> VerifyEachAsync()
    {
        var fixture = Build();
        return
        [
            await DescribeAsync("YuHuan", () => VerifyOursAsync(fixture)),
            await DescribeAsync("YuHuan (raw on)", () => StreamVerifier.VerifyAsync("YuHuan (raw on)", OursRaw, Prompt, fixture.Expected)),
            await DescribeAsync(CompetitorName, () => VerifyCompetitorAsync(fixture)),
            await DescribeAsync("Floor", () => VerifyFloorAsync(fixture)),
        ];
    }

    /// <summary>Releases the clients.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _oursRaw?.Dispose();
        _competitor?.Dispose();
        _handler?.Dispose();
    }

    /// <summary>Gets a value indicating whether the case times our client with raw representations on too (its <c>YuHuanRaw</c> row, and a line of its own in <c>--paired</c>).</summary>
    internal virtual bool HasRawRow => false;

    /// <summary>Gets the competitor's display name for error messages.</summary>
    private protected abstract string CompetitorName { get; }

    /// <summary>Builds the stream every client reads.</summary>
    private protected abstract StreamFixture CreateFixture();

    /// <summary>Creates the competitor's client over the handler.</summary>
    private protected abstract IChatClient CreateCompetitor(HttpMessageHandler handler, Uri endpoint);

    /// <summary>Enumerates a client's stream to the end.</summary>
    /// <returns>The number of updates, so the work cannot be optimized away.</returns>
    protected static async Task<int> DrainAsync(IChatClient client)
    {
        var updates = 0;
        await foreach (var update in client.GetStreamingResponseAsync(Prompt))
        {
            updates += update.Contents.Count > 0 ? 1 : 0;
        }

        return updates;
    }

    /// <summary>Reads the stream the floor's way.</summary>
    /// <returns>The number of deltas.</returns>
    protected Task<int> FloorAsync() => (_floor ?? throw NotSetUp()).ReadAsync();

    /// <summary>Gets every in-memory streaming case, in a stable order (by protocol folder, then name).</summary>
    /// <returns>The concrete subclasses of <see cref="StreamingBenchmark"/> in this assembly.</returns>
    internal static IEnumerable<Type> AllCases() =>
        typeof(StreamingBenchmark).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(StreamingBenchmark)) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>Reads the stream with our client (what the case's <c>YuHuan</c> benchmark does), for <c>--paired</c>.</summary>
    /// <returns>The number of updates with contents.</returns>
    internal Task<int> OursAsync() => DrainAsync(Ours);

    /// <summary>Reads the stream with our client, raw representations on, for <c>--paired</c>.</summary>
    /// <returns>The number of updates with contents.</returns>
    internal Task<int> OursRawAsync() => DrainAsync(OursRaw);

    /// <summary>Reads the stream with the competitor's client, for <c>--paired</c>.</summary>
    /// <returns>The number of updates with contents.</returns>
    internal Task<int> CompetitorOnlyAsync() => DrainAsync(Competitor);

    /// <summary>Reads the stream the floor's way (what the case's <c>Floor</c> benchmark does), for <c>--paired</c>.</summary>
    /// <returns>The number of deltas.</returns>
    internal Task<int> FloorOnlyAsync() => FloorAsync();

    private static async Task<string> DescribeAsync(string name, Func<Task> verify)
    {
        try
        {
            await verify();
            return $"{name}: ok";
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or HttpRequestException or JsonException)
        {
            return $"{name}: {e.GetType().Name}: {e.Message}";
        }
    }

    private StreamFixture Build()
    {
        var fixture = CreateFixture();
        _handler = new ReplayHandler(fixture.Body, "text/event-stream", "/" + fixture.RelativePath);
        _ours = Clients.YuHuan(_handler, Clients.InMemoryEndpoint, fixture.Protocol);
        _oursRaw = Clients.YuHuan(_handler, Clients.InMemoryEndpoint, fixture.Protocol, includeRawRepresentation: true);
        _competitor = CreateCompetitor(_handler, Clients.InMemoryEndpoint);
        _floor = new SseFloor(_handler, new Uri(Clients.InMemoryEndpoint, fixture.RelativePath), fixture.DeltaProperties);
        return fixture;
    }

    private Task<int> VerifyOursAsync(StreamFixture fixture) =>
        StreamVerifier.VerifyAsync("YuHuan", Ours, Prompt, fixture.Expected);

    private Task<int> VerifyCompetitorAsync(StreamFixture fixture) =>
        StreamVerifier.VerifyAsync(CompetitorName, Competitor, Prompt, fixture.Expected);

    private async Task VerifyFloorAsync(StreamFixture fixture)
    {
        var deltas = new StringBuilder();
        await (_floor ?? throw NotSetUp()).ReadAsync(d => deltas.Append(d));
        StreamVerifier.Check("The floor", "deltas", fixture.Expected.AllDeltas, deltas.ToString());
    }

    private static InvalidOperationException NotSetUp() => new("The benchmark was not set up.");
}
