namespace YuHuan.Connector.Tests.Reliability;

/// <summary>A client under test, over an <see cref="HttpClient"/> the test owns and watches through a <see cref="TrackingHandler"/>.</summary>
internal sealed class TrackedClient : IDisposable
{
    private readonly HttpClient _httpClient;

    public TrackedClient(YuHuanChatClientOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        Tracker = new TrackingHandler();
        _httpClient = new HttpClient(Tracker) { Timeout = Timeout.InfiniteTimeSpan };
        Client = new YuHuanChatClient(options, _httpClient, loggerFactory);
    }

    public YuHuanChatClient Client { get; }

    public TrackingHandler Tracker { get; }

    /// <summary>Disposes the client, then the <see cref="HttpClient"/> it was given (which a client never disposes itself), closing its connections.</summary>
    public void Dispose()
    {
        Client.Dispose();
        _httpClient.Dispose();
    }
}
