using Microsoft.AspNetCore.Http;

namespace YuHuan.Connector.Testing;

/// <summary>
/// Replays a cassette in an emulator: finds the recorded exchange a request matches (each is replayed once, in the
/// recorded order among equals) and answers with its status, headers and body pieces, ending as the exchange ended.
/// Thread-safe.
/// </summary>
internal sealed class CassettePlayer
{
    private readonly Lock _gate = new();
    private readonly Cassette _cassette;
    private readonly bool[] _played;
    private readonly ICassetteMatcher _matcher;
    private readonly FieldPattern[] _secretFields;
    private readonly CassetteOptions _options;

    public CassettePlayer(Cassette cassette, CassetteOptions options)
    {
        _cassette = cassette;
        _options = options;
        _played = new bool[cassette.Exchanges.Count];
        _matcher = options.ResolveMatcher();
        _secretFields = FieldPattern.ParseAll(options.SecretFields, nameof(options));
    }

    /// <summary>Gets the exchanges not replayed yet.</summary>
    public IReadOnlyList<CassetteExchange> Unplayed
    {
        get
        {
            lock (_gate)
            {
                return [.. _cassette.Exchanges.Where((_, i) => !_played[i])];
            }
        }
    }

    /// <summary>Takes the first exchange not yet replayed that <paramref name="live"/> matches.</summary>
    /// <param name="live">The request received.</param>
    /// <param name="miss">Why none matches, naming the nearest recorded request and the first difference.</param>
    /// <returns>The exchange, or <see langword="null"/>.</returns>
    public CassetteExchange? Take(CassetteRequest live, out string miss)
    {
        var scrubbed = Scrub(live);
        lock (_gate)
        {
            (int Index, CassetteComparison Comparison)? nearest = null;
            var replayedMatch = -1;
            for (var i = 0; i < _played.Length; i++)
            {
                var comparison = _matcher.Compare(_cassette.Exchanges[i].Request, scrubbed);
                if (comparison.IsMatch)
                {
                    if (!_played[i])
                    {
                        _played[i] = true;
                        miss = string.Empty;
                        return _cassette.Exchanges[i];
                    }

                    replayedMatch = replayedMatch < 0 ? i : replayedMatch;
                }
                else if (nearest is null || comparison.Similarity > nearest.Value.Comparison.Similarity)
                {
                    nearest = (i, comparison);
                }
            }

            miss = replayedMatch >= 0
                ? $"{scrubbed} matches recorded exchange {replayedMatch + 1}, which was replayed already; a cassette replays each exchange once, so record the repeated request too."
                : nearest is { } near
                    ? $"No recorded exchange matches {scrubbed}. Nearest: exchange {near.Index + 1}, {_cassette.Exchanges[near.Index].Request}; first difference: {near.Comparison.Difference}."
                    : $"No recorded exchange matches {scrubbed}: the cassette is empty.";
            return null;
        }
    }

    /// <summary>
    /// Scrubs a live request as the recorder scrubbed the recorded ones: secret fields become <c>"[redacted]"</c>, and their
    /// values and <see cref="CassetteOptions.Secrets"/> are taken out of the rest (the path, the query, the body), so a
    /// request that quotes a secret where the recording replaced it still matches. Key headers' values are not taken out:
    /// a replay's key is not the recorded one, and may well stand in a body by chance.
    /// </summary>
    private CassetteRequest Scrub(CassetteRequest live)
    {
        if (_secretFields.Length == 0 && _options.Secrets.Count == 0)
        {
            return live;
        }

        var scrubber = new CassetteScrubber(_secretFields, _options.Secrets);
        var body = scrubber.Scrub(scrubber.RedactFields(live.Body, learn: true));
        return new CassetteRequest(live.Method, scrubber.Scrub(live.Path), scrubber.Scrub(live.Query), body);
    }

    /// <summary>Answers with a recorded exchange: its status, headers and body pieces, with the recorded pacing when asked,
    /// then ends the way it ended (complete, a closed connection, or a reset before any response).</summary>
    public async Task ServeAsync(HttpContext context, YuHuanEmulator emulator, CassetteExchange exchange, CancellationToken cancellationToken)
    {
        var clock = TimeSpan.Zero;
        if (exchange.Response is not { } recorded)
        {
            await PaceAsync(clock, exchange.EndedAt, cancellationToken).ConfigureAwait(false);
            context.Abort();
            return;
        }

        await PaceAsync(clock, recorded.HeadersAt, cancellationToken).ConfigureAwait(false);
        clock = recorded.HeadersAt;
        var response = context.Response;
        response.StatusCode = recorded.StatusCode;
        foreach (var (name, value) in recorded.Headers)
        {
            response.Headers.Append(name, value);
        }

        response.ContentLength = recorded.ContentLength;
        var body = new ResponseBody(response, reply: null, emulator, cancellationToken);
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in recorded.Chunks)
        {
            await PaceAsync(clock, chunk.At, cancellationToken).ConfigureAwait(false);
            clock = chunk.At > clock ? chunk.At : clock;
            if (!await body.WriteAsync(chunk.Data, flush: true).ConfigureAwait(false))
            {
                return;
            }
        }

        if (exchange.Outcome == CassetteOutcome.Complete)
        {
            await body.CompleteAsync().ConfigureAwait(false);
            return;
        }

        // Cut or abandoned: the client gets the bytes that came, then the connection closes, as it did.
        if (emulator.FindConnection(context.Connection.Id) is { } connection)
        {
            await connection.DropAsync().ConfigureAwait(false);
        }
        else
        {
            context.Abort();
        }
    }

    /// <summary>With <see cref="CassetteOptions.KeepPacing"/>, waits the recorded time between two moments of the exchange
    /// on the options' clock, to the tick (<c>Task.Delay</c> would cut it to whole milliseconds, and a gap under one to none).</summary>
    private async Task PaceAsync(TimeSpan from, TimeSpan to, CancellationToken cancellationToken)
    {
        if (!_options.KeepPacing || to <= from)
        {
            return;
        }

        var elapsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), elapsed);
        using var timer = _options.TimeProvider.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), elapsed, to - from, Timeout.InfiniteTimeSpan);
        await elapsed.Task.ConfigureAwait(false);
    }
}
