using System.Diagnostics;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.EndToEnd;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// One emulator per test over loopback, clients of the protocol under test (see <see cref="EmulatorTestBase.UseProtocol"/>)
/// pointed at it, and the checks every fault case ends with: the key never shows, and nothing (request, response,
/// connection, server-side handler) is left running.
/// </summary>
public abstract class ReliabilityTestBase : EmulatorTestBase
{
    /// <summary>A part of the key that must not show anywhere either.</summary>
    protected const string KeyPart = "secret-0123456789";

    /// <summary>Options aimed at the emulator: no retries unless a test asks, and a network timeout that ends any hang.</summary>
    protected YuHuanChatClientOptions Options(Action<YuHuanChatClientOptions>? configure = null)
    {
        var options = new YuHuanChatClientOptions
        {
            Endpoint = Emulator.Endpoint,
            ApiKey = ApiKey,
            ModelId = "reliability-model",
            Protocol = Protocol,
            MaxRetries = 0,
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Creates a client over an <see cref="HttpClient"/> the test watches.</summary>
    internal TrackedClient CreateTrackedClient(Action<YuHuanChatClientOptions>? configure = null) => new(Options(configure));

    /// <summary>Creates a client that makes (and owns) its own <see cref="HttpClient"/>, as an application would.</summary>
    protected YuHuanChatClient CreateOwningClient(Action<YuHuanChatClientOptions>? configure = null) => new(Options(configure));

    /// <summary>Creates a client over a watched <see cref="HttpClient"/> (<see cref="CreateTrackedClient"/>) or, when <paramref name="ownHttpClient"/>, one that owns its own (<see cref="CreateOwningClient"/>).</summary>
    internal ClientUnderTest CreateClient(bool ownHttpClient, Action<YuHuanChatClientOptions>? configure = null) =>
        ownHttpClient ? new(null, CreateOwningClient(configure)) : new(CreateTrackedClient(configure), null);

    /// <summary>Streams a response to the end or to its failure; <paramref name="onUpdate"/> sees each update with its number (from 1).</summary>
    protected static async Task<StreamOutcome> StreamAsync(IChatClient client, CancellationToken cancellationToken = default, Func<ChatResponseUpdate, int, Task>? onUpdate = null)
    {
        var watch = Stopwatch.StartNew();
        var updates = new List<ChatResponseUpdate>();
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync("Tell me about faults.", cancellationToken: cancellationToken))
            {
                updates.Add(update);
                if (onUpdate is not null)
                {
                    await onUpdate(update, updates.Count);
                }
            }

            return new StreamOutcome(updates, null, watch.Elapsed);
        }
        catch (Exception ex)
        {
            return new StreamOutcome(updates, ex, watch.Elapsed);
        }
    }

    /// <summary>Gets a whole (non-streamed) response, or its failure.</summary>
    protected static async Task<StreamOutcome> RespondAsync(IChatClient client, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await client.GetResponseAsync("Tell me about faults.", cancellationToken: cancellationToken);
            return new StreamOutcome(response.ToChatResponseUpdates(), null, watch.Elapsed);
        }
        catch (Exception ex)
        {
            return new StreamOutcome([], ex, watch.Elapsed);
        }
    }

    /// <summary>Calls streaming or not.</summary>
    protected static Task<StreamOutcome> CallAsync(IChatClient client, bool streaming, CancellationToken cancellationToken = default) =>
        streaming ? StreamAsync(client, cancellationToken) : RespondAsync(client, cancellationToken);

    /// <summary>
    /// The end of every fault case: the key shows nowhere in the exception; the client let go of every request and
    /// response as soon as the call ended; and once the client is disposed, no connection or server-side request remains.
    /// </summary>
    internal async Task AssertCleanAsync(StreamOutcome outcome, TrackedClient client)
    {
        AssertKeyNotShown(outcome.Error);
        Assert.Equal(0, client.Tracker.InFlight);
        Assert.Equal(0, client.Tracker.OpenResponses);
        client.Dispose();
        await AssertEmulatorIdleAsync();
    }

    /// <summary>The same end, for a client that owns its <see cref="HttpClient"/>.</summary>
    protected async Task AssertCleanAsync(StreamOutcome outcome, YuHuanChatClient client)
    {
        AssertKeyNotShown(outcome.Error);
        client.Dispose();
        await AssertEmulatorIdleAsync();
    }

    /// <summary>The same end, for a client of either kind (<see cref="CreateClient(bool, Action{YuHuanChatClientOptions}?)"/>).</summary>
    internal Task AssertCleanAsync(StreamOutcome outcome, ClientUnderTest client) =>
        client.Tracked is not null ? AssertCleanAsync(outcome, client.Tracked) : AssertCleanAsync(outcome, client.Owning!);

    /// <summary>Fails when the key, or a part of it, shows in the exception, its inner exceptions or its stack.</summary>
    protected static void AssertKeyNotShown(Exception? error)
    {
        if (error is not null)
        {
            var text = error.ToString();
            Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(KeyPart, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Waits (bounded) until the emulator has no open connection and no request being handled.</summary>
    protected Task AssertEmulatorIdleAsync() =>
        Eventually.HoldsAsync(
            () => Emulator.OpenConnections == 0 && Emulator.ActiveRequests == 0,
            () => $"the emulator still has {Emulator.OpenConnections} open connection(s) and {Emulator.ActiveRequests} active request(s)");

    /// <summary>Waits (bounded) until the emulator has recorded <paramref name="count"/> requests.</summary>
    protected Task WaitForRequestsAsync(int count) =>
        Eventually.HoldsAsync(() => Emulator.Requests.Count >= count, () => $"the emulator received {Emulator.Requests.Count} of {count} requests");
}
