using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.Tests.Cassettes;

/// <summary>
/// One cassette recorded and replayed in a test: <see cref="RecordAsync{T}"/> runs a client against a live emulator
/// through a <see cref="CassetteRecorder"/> writing <see cref="Path"/>; <see cref="ReplayAsync{T}"/> runs a client with
/// another key against a fresh emulator serving the loaded file. The folder is deleted on disposal.
/// </summary>
internal sealed class CassetteRoundTrip : IDisposable
{
    /// <summary>The key of the recording: long and realistic, so each of its forms in the file would be found.</summary>
    public const string Key = "sk-live-7Qf3mZ9xK2pL8vN4wR6tY1uB5cD0eH3jA9sG";

    /// <summary>The model the clients name.</summary>
    public const string Model = "yuhuan-cassette";

    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-roundtrip-").FullName;

    public CassetteRoundTrip(YuHuanProtocol protocol)
    {
        Protocol = protocol;
        Path = System.IO.Path.Combine(_folder, "roundtrip.jsonl");
    }

    /// <summary>Gets the protocol the clients speak.</summary>
    public YuHuanProtocol Protocol { get; }

    /// <summary>Gets the cassette file.</summary>
    public string Path { get; }

    /// <summary>Gets the text of the cassette file as it is now.</summary>
    public string FileText => File.ReadAllText(Path);

    /// <summary>
    /// Gets how an exchange the client read to its answer's end is recorded: a body of a declared length read whole is
    /// complete; a stream is abandoned, since the client stops reading at the answer's terminal event (the recorder sees the
    /// body disposed before the end of the chunked body, which may still be on its way). A replay of either gives the
    /// client the whole answer.
    /// </summary>
    public static CassetteOutcome ExpectedOutcome(bool streaming) => streaming ? CassetteOutcome.Abandoned : CassetteOutcome.Complete;

    /// <summary>Serializes updates, a response or any other result the way a caller would compare them.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions);

    /// <summary>Describes an exception by what a caller sees of it: its type, and for an API error its status, error type,
    /// code, retry delay and message.</summary>
    public static string Describe(Exception? error) => error switch
    {
        null => "no error",
        YuHuanApiException api => $"{api.GetType().Name} status={api.StatusCode} type={api.ErrorType} code={api.ErrorCode} retryAfter={api.RetryAfter}: {api.Message}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    /// <summary>Streams a response, keeping the updates that arrived before the error that ended it, if any.</summary>
    /// <param name="client">The client.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <param name="stopAfter">When it holds for an update (after it is kept), the caller breaks out of the stream.</param>
    public static async Task<CallResult> StreamAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options = null, Func<ChatResponseUpdate, bool>? stopAfter = null)
    {
        var updates = new List<ChatResponseUpdate>();
        Exception? error = null;
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync(messages, options))
            {
                updates.Add(update);
                if (stopAfter?.Invoke(update) == true)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            error = ex;
        }

        return new CallResult(Streamed: true, updates, updates.ToChatResponse(), error);
    }

    /// <summary>Gets a response, streamed (<see cref="StreamAsync"/>) or not, keeping the error that ended the call, if any.</summary>
    public static async Task<CallResult> CallAsync(IChatClient client, bool streaming, IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        if (streaming)
        {
            return await StreamAsync(client, messages, options);
        }

        try
        {
            return new CallResult(Streamed: false, [], await client.GetResponseAsync(messages, options), null);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return new CallResult(Streamed: false, [], null, ex);
        }
    }

    /// <summary>Runs <paramref name="run"/> with a client (wrapped by <paramref name="wrap"/>, which then owns it) that sends through a recorder to a live emulator scripted by
    /// <paramref name="script"/>; the emulator insists on <see cref="Key"/>. <paramref name="options"/> are the recorder's.</summary>
    public async Task<T> RecordAsync<T>(Action<YuHuanEmulator> script, Func<IChatClient, Task<T>> run, Action<YuHuanChatClientOptions>? configure = null, Func<IChatClient, IChatClient>? wrap = null, CassetteOptions? options = null)
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.ExpectedApiKey = Key;
        script(emulator);
        var recorder = new CassetteRecorder(Path, options) { InnerHandler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, AllowAutoRedirect = false } };
        using var http = new HttpClient(recorder) { Timeout = Timeout.InfiniteTimeSpan };
        var inner = new YuHuanChatClient(Options(emulator.Endpoint, Key, configure), http);
        using var client = wrap?.Invoke(inner) ?? inner;
        return await run(client);
    }

    /// <summary>Runs <paramref name="run"/> with a client (with another key) against a fresh emulator serving the
    /// cassette loaded from <see cref="Path"/>; <paramref name="options"/> are the emulator's.</summary>
    public Task<CassetteReplay<T>> ReplayAsync<T>(Func<IChatClient, Task<T>> run, Action<YuHuanChatClientOptions>? configure = null, Func<IChatClient, IChatClient>? wrap = null, CassetteOptions? options = null) =>
        ReplayAsync((client, _) => run(client), configure, wrap, options);

    /// <summary>Runs <paramref name="run"/> with a client (with another key) against a fresh emulator serving the
    /// cassette loaded from <see cref="Path"/>, which <paramref name="run"/> may inspect while it still runs;
    /// <paramref name="options"/> are the emulator's.</summary>
    public async Task<CassetteReplay<T>> ReplayAsync<T>(Func<IChatClient, YuHuanEmulator, Task<T>> run, Action<YuHuanChatClientOptions>? configure = null, Func<IChatClient, IChatClient>? wrap = null, CassetteOptions? options = null)
    {
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.ServeCassette(Cassette.Load(Path), options);
        var inner = new YuHuanChatClient(Options(emulator.Endpoint, CassetteSession.ReplayApiKey, configure));
        using var client = wrap?.Invoke(inner) ?? inner;
        var result = await run(client, emulator);
        return new CassetteReplay<T>(result, emulator.UnplayedExchanges, emulator.Requests);
    }

    /// <summary>Asserts that the cassette file holds the key in no form, and returns its text.</summary>
    public string AssertKeyNotInFile()
    {
        var text = FileText;
        Assert.DoesNotContain(Key, text, StringComparison.OrdinalIgnoreCase);
        Assert.False(new SecretScrubber(Key).Finds(text), "The cassette holds the key in some form:\n" + text);
        return text;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private YuHuanChatClientOptions Options(Uri endpoint, string key, Action<YuHuanChatClientOptions>? configure)
    {
        var options = new YuHuanChatClientOptions
        {
            Endpoint = endpoint,
            ApiKey = key,
            ModelId = Model,
            Protocol = Protocol,
            AllowInsecureHttp = true,
            MaxRetryDelay = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        return options;
    }
}
