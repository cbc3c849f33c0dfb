using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace YuHuan.Connector.Tests.TestSupport;

/// <summary>
/// A Kestrel server on a free port of 127.0.0.1 that answers every request with a handler of the test's own (for server
/// behaviour the emulator does not script, such as a resume that replays what was sent), and records each request with
/// the server's clock.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Seen> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private LoopbackServer(Func<HttpContext, int, Task> handle)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        var count = 0;
        _app.Run(context =>
        {
            var number = Interlocked.Increment(ref count);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
            _requests.Enqueue(new Seen(context.Request.Method, target, headers, _clock.Elapsed));
            return handle(context, number);
        });
    }

    /// <summary>Gets the base address, <c>http://127.0.0.1:{port}/v1/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets the time now by the server's clock (the one <see cref="Seen.At"/> is measured with).</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Gets the requests received so far, in arrival order.</summary>
    public IReadOnlyList<Seen> Requests => [.. _requests];

    /// <summary>Starts a server whose <paramref name="handle"/> answers each request, given its number (from 1).</summary>
    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, int, Task> handle)
    {
        var server = new LoopbackServer(handle);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{new Uri(address).Port}/v1/"));
        return server;
    }

    /// <summary>
    /// Writes <paramref name="events"/> as an event stream (each a <c>data:</c> line, its type on an <c>event:</c> line)
    /// and ends the body there, as a server does that drops a stream before its terminal event. (A reset right after the
    /// last write could reach the client before the events, and the request would then be retried, not resumed.)
    /// </summary>
    public static async Task StreamThenEndAsync(HttpContext context, IEnumerable<(string Type, string Data)> events)
    {
        context.Response.ContentType = "text/event-stream";
        foreach (var (type, data) in events)
        {
            await context.Response.WriteAsync($"event: {type}\ndata: {data}\n\n");
        }

        await context.Response.CompleteAsync();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Connections still open were aborted.
        }

        await _app.DisposeAsync();
    }

    /// <summary>One request as the server saw it.</summary>
    /// <param name="Method">The method.</param>
    /// <param name="PathAndQuery">The path and query string, as the request line had them (not decoded).</param>
    /// <param name="Headers">The headers, by case-insensitive name.</param>
    /// <param name="At">When it arrived, by the server's clock (from the server's start).</param>
    public sealed record Seen(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, TimeSpan At);
}
