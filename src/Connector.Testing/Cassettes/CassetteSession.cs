using System.Net;

namespace YuHuan.Connector.Testing;

/// <summary>
/// One cassette in a test: records it against the configured gateway, or replays it from a local emulator, as the mode
/// says. Point the client at <see cref="Endpoint"/> with <see cref="ApiKey"/>, and send through <see cref="CreateHttpClient"/>
/// (or <see cref="CreateHandler"/> with <c>IHttpClientFactory</c>); the test reads the same either way.
/// </summary>
/// <remarks>
/// <para>The mode is <see cref="CassetteOptions.Mode"/> unless the environment variable <c>YUHUAN_CASSETTE_MODE</c>
/// (<c>record</c>, <c>replay</c> or <c>record-if-missing</c>) says otherwise. <see cref="CassetteMode.RecordIfMissing"/>
/// replays a cassette whose file exists and records one that does not.</para>
/// <para>Recording sends to <see cref="CassetteOptions.GatewayEndpoint"/> with <see cref="CassetteOptions.ApiKey"/> and
/// writes the file as exchanges end. Replaying starts a <see cref="YuHuanEmulator"/> that serves the file; its handler
/// refuses any request that would leave the machine.</para>
/// <code>
/// await using var session = await CassetteSession.StartAsync("Cassettes/weather.jsonl",
///     new CassetteOptions { ApiKey = Environment.GetEnvironmentVariable("YUHUAN_API_KEY") });
/// using var client = new YuHuanChatClient(
///     new YuHuanChatClientOptions { Endpoint = session.Endpoint, ApiKey = session.ApiKey, ModelId = "yuhuan-chat" },
///     session.CreateHttpClient());
/// </code>
/// </remarks>
public sealed class CassetteSession : IAsyncDisposable
{
    /// <summary>The API key a replaying session gives the client, whatever <see cref="CassetteOptions.ApiKey"/> says: a
    /// replay needs no key, and a real one is not sent to the emulator.</summary>
    public const string ReplayApiKey = "cassette-replay";

    private readonly CassetteRecording? _recording;

    private CassetteSession(string path, CassetteMode mode, Uri endpoint, string apiKey, CassetteRecording? recording, YuHuanEmulator? emulator)
    {
        Path = path;
        Mode = mode;
        Endpoint = endpoint;
        ApiKey = apiKey;
        _recording = recording;
        Emulator = emulator;
    }

    /// <summary>Gets the cassette file.</summary>
    public string Path { get; }

    /// <summary>Gets what the session does: <see cref="CassetteMode.Record"/> or <see cref="CassetteMode.Replay"/>.</summary>
    public CassetteMode Mode { get; }

    /// <summary>Gets the base URL the client talks to: the gateway when recording, the emulator when replaying.</summary>
    public Uri Endpoint { get; }

    /// <summary>Gets the API key the client sends: <see cref="CassetteOptions.ApiKey"/> when recording, <see cref="ReplayApiKey"/> when replaying.</summary>
    public string ApiKey { get; }

    /// <summary>Gets the emulator serving the cassette in a replay, or <see langword="null"/> when recording.</summary>
    public YuHuanEmulator? Emulator { get; }

    /// <summary>Starts a session for the cassette at <paramref name="path"/>.</summary>
    /// <param name="path">The cassette file, such as <c>Cassettes/weather.jsonl</c> (a file copied next to the tests, or a
    /// path into the source tree so a recording lands where it is committed).</param>
    /// <param name="options">The mode, the gateway, the key and what is secret; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The session; dispose it when the test ends.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty, or a field name in
    /// <paramref name="options"/> is not valid.</exception>
    /// <exception cref="InvalidOperationException">The session must record but <see cref="CassetteOptions.ApiKey"/> is not
    /// set, or <c>YUHUAN_CASSETTE_MODE</c> names no mode.</exception>
    /// <exception cref="FileNotFoundException">The session must replay but the file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a cassette.</exception>
    public static Task<CassetteSession> StartAsync(string path, CassetteOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(path, options, Environment.GetEnvironmentVariable(CassetteModes.Variable), cancellationToken);

    /// <summary>Starts a session as <see cref="StartAsync(string, CassetteOptions?, CancellationToken)"/> does, with
    /// <paramref name="environmentMode"/> standing for the value of <c>YUHUAN_CASSETTE_MODE</c>.</summary>
    internal static async Task<CassetteSession> StartAsync(string path, CassetteOptions? options, string? environmentMode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CassetteOptions();
        var mode = CassetteModes.Resolve(environmentMode, options.Mode);
        if (mode == CassetteMode.RecordIfMissing)
        {
            mode = File.Exists(path) ? CassetteMode.Replay : CassetteMode.Record;
        }

        if (mode == CassetteMode.Record)
        {
            if (string.IsNullOrEmpty(options.ApiKey))
            {
                throw new InvalidOperationException(
                    $"The cassette '{path}' is to be recorded against {options.GatewayEndpoint}, which needs CassetteOptions.ApiKey; set it, or replay a recorded cassette ({CassetteModes.Variable}=replay).");
            }

            return new CassetteSession(path, mode, options.GatewayEndpoint, options.ApiKey, new CassetteRecording(path, options), emulator: null);
        }

        var cassette = File.Exists(path)
            ? Cassette.Load(path)
            : throw new FileNotFoundException($"The cassette '{System.IO.Path.GetFullPath(path)}' does not exist; record it first ({CassetteModes.Variable}=record, with an API key).", path);
        var emulator = await YuHuanEmulator.StartAsync(cancellationToken).ConfigureAwait(false);
        emulator.ServeCassette(cassette, options);
        return new CassetteSession(path, mode, emulator.Endpoint, ReplayApiKey, recording: null, emulator);
    }

    /// <summary>
    /// Creates the handler the client's requests go through, for <c>IHttpClientFactory</c>
    /// (<c>.AddHttpMessageHandler(() =&gt; session.CreateHandler())</c>): a <see cref="CassetteRecorder"/> writing this
    /// session's file when recording, a handler that lets requests reach loopback addresses only when replaying.
    /// </summary>
    /// <returns>A handler without an inner handler; every one made for a recording writes the same file.</returns>
    public DelegatingHandler CreateHandler() =>
        _recording is not null ? new CassetteRecorder(_recording) : new LoopbackOnlyHandler(Endpoint);

    /// <summary>Creates an <see cref="HttpClient"/> that sends through <see cref="CreateHandler"/> (with automatic
    /// decompression, as the client's own).</summary>
    /// <returns>The client; the caller disposes it.</returns>
    public HttpClient CreateHttpClient()
    {
        var handler = CreateHandler();
        handler.InnerHandler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, AllowAutoRedirect = false };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Ends the session: the emulator of a replay stops; a recording is already on disk, or the failure to write it
    /// is thrown.</summary>
    /// <returns>A task that completes when the emulator stopped.</returns>
    /// <exception cref="IOException">A recording could not write an exchange to the file.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync().ConfigureAwait(false);
        }

        _recording?.ThrowIfSaveFailed();
    }
}
