using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Benchmarks.Fixtures;
using YuHuan.Connector.Benchmarks.Infrastructure;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Benchmarks.ChatCompletions;

/// <summary>
/// Case 7's setting: the gateway emulator on loopback Kestrel in this process, serving 2,000 text deltas plus
/// usage (one flushed event each), and every client over a real <see cref="SocketsHttpHandler"/>.
/// </summary>
internal sealed class LoopbackScenario : IAsyncDisposable
{
    /// <summary>The number of text deltas per stream.</summary>
    public const int Deltas = 2000;

    private const int CharsPerDelta = 8;

    private readonly YuHuanEmulator _emulator;
    private readonly SocketsHttpHandler _handler;

    private LoopbackScenario(YuHuanEmulator emulator, string text, ExpectedUsage usage)
    {
        _emulator = emulator;
        _handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        Ours = Clients.YuHuan(_handler, emulator.Endpoint, YuHuanProtocol.ChatCompletions);
        OpenAI = ChatCompletionsCompetitor.Create(_handler, emulator.Endpoint);
        Floor = new SseFloor(_handler, new Uri(emulator.Endpoint, ChatCompletionsStreams.RelativePath), "content", "arguments");
        Expected = new StreamExpectation { Text = text, Usage = usage, FinishReason = ChatFinishReason.Stop, AllDeltas = text };
    }

    /// <summary>Gets the prompt every client sends.</summary>
    public static IList<ChatMessage> Prompt { get; } = [new(ChatRole.User, "Tell me a story.")];

    /// <summary>Gets our client.</summary>
    public IChatClient Ours { get; }

    /// <summary>Gets <c>Microsoft.Extensions.AI.OpenAI</c>'s Chat Completions client.</summary>
    public IChatClient OpenAI { get; }

    /// <summary>Gets the floor reader.</summary>
    public SseFloor Floor { get; }

    /// <summary>Gets what every stream contains.</summary>
    public StreamExpectation Expected { get; }

    /// <summary>Starts the emulator, serving the stream to every request, and verifies each client once.</summary>
    /// <param name="delayBetweenEvents">A pause the emulator makes between events, or zero.</param>
    /// <param name="deltas">The number of text deltas.</param>
    public static async Task<LoopbackScenario> StartAsync(TimeSpan delayBetweenEvents = default, int deltas = Deltas)
    {
        // The emulator streams the text in pieces of CharsPerDelta characters: one delta each.
        var text = string.Concat(TextPieces.Create(deltas * 4))[..(deltas * CharsPerDelta)];
        if (char.IsHighSurrogate(text[^1]))
        {
            text = text[..^1] + ".";
        }

        var usage = new ExpectedUsage(Input: 24, Output: deltas, Total: 24 + deltas, CachedInput: 0, Reasoning: 0);
        var emulator = await YuHuanEmulator.StartAsync();
        emulator.DefaultReply = new EmulatorReply()
            .AddText(text, CharsPerDelta)
            .WithUsage(inputTokens: (int)usage.Input, outputTokens: (int)usage.Output)
            .WithDelayBetweenEvents(delayBetweenEvents);
        var scenario = new LoopbackScenario(emulator, text, usage);
        try
        {
            await StreamVerifier.VerifyAsync("YuHuan", scenario.Ours, Prompt, scenario.Expected);
            await StreamVerifier.VerifyAsync(ChatCompletionsCompetitor.Name, scenario.OpenAI, Prompt, scenario.Expected);
            var deltasRead = new StringBuilder();
            await scenario.Floor.ReadAsync(d => deltasRead.Append(d));
            StreamVerifier.Check("The floor", "deltas", text, deltasRead.ToString());
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }

        return scenario;
    }

    /// <summary>Enumerates a client's stream to the end.</summary>
    /// <returns>The number of updates that carried content.</returns>
    public static async Task<int> DrainAsync(IChatClient client)
    {
        var updates = 0;
        await foreach (var update in client.GetStreamingResponseAsync(Prompt))
        {
            updates += update.Contents.Count > 0 ? 1 : 0;
        }

        return updates;
    }

    public async ValueTask DisposeAsync()
    {
        Ours.Dispose();
        OpenAI.Dispose();
        _handler.Dispose();
        await _emulator.DisposeAsync();
    }
}
