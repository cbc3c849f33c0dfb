using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace YuHuan.Connector.Testing;

/// <summary>
/// An in-process emulator of the YuHuan Studio gateway: a Kestrel server on a free loopback port that
/// answers Chat Completions, Anthropic Messages and OpenAI Responses requests, streamed or not, with scripted replies and
/// records every request it receives.
/// </summary>
/// <remarks>
/// <para>It serves the paths the real gateway serves, under <c>/v1/</c>:</para>
/// <list type="table">
/// <listheader><term>Path</term><description>Protocol</description></listheader>
/// <item><term><c>POST /v1/chat/completions</c></term><description>Chat Completions: <c>data:</c> chunks ended by
/// <c>[DONE]</c>, or a <c>chat.completion</c> object; errors as <c>{"error":{"message","type","code","param"}}</c>.</description></item>
/// <item><term><c>POST /v1/messages</c></term><description>Anthropic Messages: typed <c>event:</c>/<c>data:</c> events
/// from <c>message_start</c> to <c>message_stop</c>, or a <c>message</c> object; errors as
/// <c>{"type":"error","error":{"type","message"},"request_id"}</c>.</description></item>
/// <item><term><c>POST /v1/responses</c></term><description>OpenAI Responses: typed events with a <c>sequence_number</c>
/// from <c>response.created</c> to <c>response.completed</c> (or <c>incomplete</c>, or <c>failed</c>), or a
/// <c>response</c> object; errors as <c>{"error":{"message","type","code","param"}}</c>. Responses to a request whose
/// <c>store</c> is not <see langword="false"/> are kept (the most recent 1024), so a later <c>previous_response_id</c>
/// naming one is accepted and one naming any other id gets HTTP 400 with code <c>previous_response_not_found</c>.
/// <c>"background": true</c> keeps the response with its whole event stream; without <c>stream</c> the POST answers
/// at once with the <c>queued</c> response object.</description></item>
/// <item><term><c>GET /v1/responses/{id}</c></term><description>A kept response: its object (<c>in_progress</c> for as
/// many polls as <see cref="EmulatorReply.WithPollsBeforeCompletion"/> says, then finished), or, with
/// <c>?stream=true&amp;starting_after=N</c>, the kept events of a background response after sequence number N (all of
/// them without <c>starting_after</c>), whatever the first connection delivered; unknown ids get HTTP 404. It takes no
/// reply from the queue.</description></item>
/// </list>
/// <para>A doubled or trailing <c>/</c> is accepted; any other path, such as <c>/chat/completions</c> without
/// <c>/v1</c>, gets HTTP 404 with an error body in the shape of the first protocol the emulator registers (Chat
/// Completions), as a client configured with a wrong base URL would get from the gateway.</para>
/// <code>
/// await using var emulator = await YuHuanEmulator.StartAsync();
/// emulator.Enqueue(EmulatorReply.Text("Hello!"));
/// // Point the client at emulator.Endpoint, call it, then inspect emulator.Requests.
/// </code>
/// <para>Each request that reaches the reply stage takes the next reply from the queue, or
/// <see cref="DefaultReply"/> when the queue is empty. Requests the emulator itself rejects (unknown path,
/// wrong method, wrong API key, a body that is not a JSON object) are recorded but take no reply.</para>
/// <para>Each <see cref="RecordedRequest"/> says when the server saw the connection that carried it close
/// (<see cref="RecordedRequest.ConnectionClosed"/>), so a test can check that a client which gave up on a stream
/// really stopped the server, rather than letting its HTTP stack drain the rest of the body:</para>
/// <code>
/// emulator.Enqueue(new EmulatorReply().AddText("a long answer", chunkSize: 2).PauseAfter(3, new TaskCompletionSource().Task));
/// // ... read a few updates, then cancel or break out of the await foreach ...
/// await emulator.Requests[0].ConnectionClosed.WaitAsync(TimeSpan.FromSeconds(1));
/// </code>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed class YuHuanEmulator : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Queue<EmulatorReply> _replies = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, EmulatorConnection> _connections = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private volatile EmulatorReply _defaultReply = EmulatorReply.Story();
    private volatile string? _expectedApiKey;
    private volatile CassettePlayer? _player;
    private int _openConnections;
    private int _activeRequests;
    private long _bodyBytesSent;
    private int _started;
    private int _disposed;

    private YuHuanEmulator(IReadOnlyList<IProtocolRenderer> protocols)
    {
        StoppingToken = _stopping.Token;
        Protocols = new ProtocolRoutes(protocols);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton<IHostLifetime, EmulatorHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = null;
            options.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => async connection =>
                {
                    Interlocked.Increment(ref _openConnections);
                    var watched = new EmulatorConnection(connection.Transport, connection.Features.Get<IConnectionSocketFeature>()?.Socket);
                    connection.Transport = watched;
                    _connections[connection.ConnectionId] = watched;
                    using var closed = connection.ConnectionClosed.Register(static state => ((EmulatorConnection)state!).MarkClosed(), watched);
                    watched.Start();
                    try
                    {
                        await next(connection).ConfigureAwait(false);
                    }
                    finally
                    {
                        await watched.StopAsync().ConfigureAwait(false);
                        _connections.TryRemove(connection.ConnectionId, out _);
                        Interlocked.Decrement(ref _openConnections);
                    }
                });
            });
        });

        _app = builder.Build();
        _app.Run(new EmulatorRequestHandler(this).HandleAsync);
        Endpoint = new Uri("http://127.0.0.1/v1/");
    }

    /// <summary>
    /// Gets the base URL of the emulated gateway, <c>http://127.0.0.1:{port}/v1/</c>, with a trailing slash.
    /// </summary>
    /// <remarks>Chat Completions is served at <c>{Endpoint}chat/completions</c>, Messages at <c>{Endpoint}messages</c> and
    /// Responses at <c>{Endpoint}responses</c>; nothing is served outside <c>/v1/</c>.</remarks>
    public Uri Endpoint { get; private set; }

    /// <summary>
    /// Gets or sets the API key requests must carry, as <c>Authorization: Bearer &lt;key&gt;</c> or
    /// <c>x-api-key</c>; <see langword="null"/> (the default) accepts any request. A request without the
    /// key gets HTTP 401 with an <c>authentication_error</c> body.
    /// </summary>
    public string? ExpectedApiKey
    {
        get => _expectedApiKey;
        set => _expectedApiKey = value;
    }

    /// <summary>Gets or sets the reply served when the queue is empty; initially <see cref="EmulatorReply.Story"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public EmulatorReply DefaultReply
    {
        get => _defaultReply;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _defaultReply = value;
        }
    }

    /// <summary>Gets a snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Gets the number of TCP connections currently open to the emulator.</summary>
    /// <remarks>A connection counts until the server has seen it close, which may be a moment after the
    /// client closed it.</remarks>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Gets the number of requests whose handling has started and not yet ended.</summary>
    /// <remarks>A request counts from its arrival until its reply is fully written, or until the emulator has seen
    /// that the client went away (a scripted delay or pause then ends at once). Together with
    /// <see cref="OpenConnections"/> it tells whether a client left anything running.</remarks>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    /// <summary>Gets the number of response body bytes written to clients so far, counted before any compression.</summary>
    /// <remarks>Shows how much of a large reply a client read before it gave up; bytes may still sit in socket
    /// buffers when a client aborts, so the count is an upper bound of what the client received.</remarks>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytesSent);

    /// <summary>Gets what answers requests from a cassette, or <see langword="null"/> when replies come from the queue.</summary>
    internal CassettePlayer? Player => _player;

    /// <summary>Gets a token cancelled when the emulator is disposed.</summary>
    internal CancellationToken StoppingToken { get; }

    /// <summary>Starts an emulator on a free port of 127.0.0.1.</summary>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<YuHuanEmulator> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(EmulatorProtocols.All, cancellationToken);

    /// <summary>Starts an emulator that serves <paramref name="protocols"/> only, the first of them the default.</summary>
    /// <param name="protocols">The protocols to serve; <see cref="EmulatorProtocols.All"/> are what the gateway serves.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    internal static async Task<YuHuanEmulator> StartAsync(IReadOnlyList<IProtocolRenderer> protocols, CancellationToken cancellationToken)
    {
        var emulator = new YuHuanEmulator(protocols);
        try
        {
            await emulator._app.StartAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref emulator._started, 1);
            var address = emulator._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var port = new Uri(address).Port;
            emulator.Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/v1/"));
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Adds replies to the end of the queue; each request that reaches the reply stage takes the first one.
    /// </summary>
    /// <param name="replies">The replies, in the order requests should get them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="replies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="replies"/> contains <see langword="null"/>.</exception>
    public void Enqueue(params EmulatorReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        if (Array.IndexOf(replies, null) >= 0)
        {
            throw new ArgumentException("The replies must not contain null.", nameof(replies));
        }

        lock (_gate)
        {
            foreach (var reply in replies)
            {
                _replies.Enqueue(reply);
            }
        }
    }

    /// <summary>
    /// Answers every later request from <paramref name="cassette"/> instead of the reply queue: a request is matched to a
    /// recorded one not yet replayed (by method, path, query and body, see <see cref="CassetteOptions.Matcher"/>), which is
    /// answered with the recorded status, headers and body pieces and ends as it ended; a request that matches none gets
    /// HTTP 404 with the error type <c>cassette_mismatch</c> and a message naming the nearest recorded request and the first
    /// difference.
    /// </summary>
    /// <param name="cassette">The cassette, such as <see cref="Cassette.Load"/> reads.</param>
    /// <param name="options">How requests are matched and whether the recorded pacing is kept; <see langword="null"/> for the defaults.</param>
    /// <remarks><see cref="ExpectedApiKey"/> is still checked, and every request is still in <see cref="Requests"/>. Background
    /// responses replay as recorded: their polls and resumed streams are recorded exchanges like any other.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="cassette"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A field name in <paramref name="options"/> is not valid.</exception>
    public void ServeCassette(Cassette cassette, CassetteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cassette);
        _player = new CassettePlayer(cassette, options ?? new CassetteOptions());
    }

    /// <summary>Gets the exchanges of the cassette being served (<see cref="ServeCassette"/>) that no request has matched yet;
    /// empty when no cassette is served.</summary>
    public IReadOnlyList<CassetteExchange> UnplayedExchanges => _player?.Unplayed ?? [];

    /// <summary>
    /// Stops the emulator: pending scripted delays end at once, open streams are aborted, and the server
    /// shuts down within a short timeout.
    /// </summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _started) != 0)
        {
            using var timeout = new CancellationTokenSource(ShutdownTimeout);
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Connections still open when the timeout ran out were aborted; nothing more to wait for.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Counts a request whose handling started.</summary>
    internal void RequestStarted() => Interlocked.Increment(ref _activeRequests);

    /// <summary>Counts a request whose handling ended.</summary>
    internal void RequestEnded() => Interlocked.Decrement(ref _activeRequests);

    /// <summary>Adds to <see cref="BodyBytesSent"/>.</summary>
    internal void AddBodyBytes(long count) => Interlocked.Add(ref _bodyBytesSent, count);

    /// <summary>Records a request before it is answered.</summary>
    internal void Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    /// <summary>Takes the next queued reply, or the default reply when the queue is empty.</summary>
    internal EmulatorReply TakeReply()
    {
        lock (_gate)
        {
            return _replies.TryDequeue(out var reply) ? reply : _defaultReply;
        }
    }

    /// <summary>Finds the open connection with the id Kestrel gave it (<c>HttpContext.Connection.Id</c>).</summary>
    internal EmulatorConnection? FindConnection(string connectionId) =>
        _connections.TryGetValue(connectionId, out var connection) ? connection : null;

    /// <summary>Gets the source of the ids the emulator makes up: response, request, item and tool call ids.</summary>
    internal IdCounter Ids { get; } = new();

    /// <summary>Gets the protocols the emulator serves, with what each keeps between requests (see
    /// <see cref="ProtocolRoutes.State{TState}"/>), and the paths they are served at.</summary>
    internal ProtocolRoutes Protocols { get; }
}
