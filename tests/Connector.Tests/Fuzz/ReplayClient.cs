using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>
/// Runs a response body through a real <see cref="YuHuanChatClient"/> (transport, guarded body, SSE parser,
/// protocol mapper) over an in-memory handler: no sockets, so thousands of cases run in seconds.
/// </summary>
internal static class ReplayClient
{
    /// <summary>The key the replay clients send; it must never show in an exception.</summary>
    public const string ApiKey = "sk-fuzz-SECRET-7d1e0b";

    /// <summary>Streams <paramref name="body"/> through a client of <paramref name="protocol"/>, delivered in reads of <paramref name="chunkSizes"/>.</summary>
    public static ReplayOutcome Run(YuHuanProtocol protocol, byte[] body, int[] chunkSizes, string contentType = "text/event-stream")
    {
        var watch = Stopwatch.StartNew();
        var updates = new List<ChatResponseUpdate>();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var task = RunAsync(protocol, body, chunkSizes, contentType, updates);
        var allocated = task.IsCompleted ? GC.GetAllocatedBytesForCurrentThread() - before : -1;
        Exception? error = null;
        try
        {
            // Everything is in memory: a replay that does not finish within seconds is a hang.
            if (!task.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The replay did not finish within 30 s: the client hangs.");
            }
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            error = ex.InnerException;
        }

        return new ReplayOutcome(updates, error, allocated, watch.Elapsed);
    }

    /// <summary>
    /// Renders <paramref name="reply"/> as a stream of <paramref name="wire"/>, changes every <paramref name="from"/> (which
    /// must be there) to <paramref name="to"/>, and streams the result through a client of that protocol, whole.
    /// </summary>
    public static ReplayOutcome RunReplaced(WireFormat wire, EmulatorReply reply, string from, string to)
    {
        var rendered = Encoding.UTF8.GetString(wire.RenderBody(reply));
        Assert.Contains(from, rendered, StringComparison.Ordinal);
        return Run(wire.Protocol, Encoding.UTF8.GetBytes(rendered.Replace(from, to, StringComparison.Ordinal)), []);
    }

    private static async Task RunAsync(YuHuanProtocol protocol, byte[] body, int[] chunkSizes, string contentType, List<ChatResponseUpdate> updates)
    {
        using var handler = new Handler(body, chunkSizes, contentType);
        using var client = new YuHuanChatClient(
            new YuHuanChatClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), ApiKey = ApiKey, ModelId = "fuzz-model", Protocol = protocol, MaxRetries = 0 },
            new HttpClient(handler, disposeHandler: false));
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }
    }

    private sealed class Handler(byte[] body, int[] chunkSizes, string contentType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new ChunkedStream(body, chunkSizes));
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
