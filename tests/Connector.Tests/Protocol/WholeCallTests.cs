using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Protocol;

/// <summary>
/// The transport sends the call a protocol built exactly as built (method, path and query, headers, body) and lets the
/// protocol read its error bodies, so a protocol the shipped three do not resemble needs nothing outside its folder.
/// </summary>
public sealed class WholeCallTests
{
    [Theory]
    [InlineData(true, "/v1/models/gemini%2Flite:chat?alt=sse")]
    [InlineData(false, "/v1/models/gemini%2Flite:chat")]
    public async Task SendAsync_SendsTheCallAsTheProtocolBuiltIt(bool stream, string target)
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteAsync(context, 200, "{}"));
        var options = Options(server);
        options.AdditionalHeaders["x-whole-version"] = "2";
        options.AdditionalHeaders["x-whole-features"] = "citations";
        var protocol = new WholeCallProtocol();
        using var transport = new GatewayTransport(options, protocol, httpClient: null, logger: null);

        var call = protocol.CreateCall(new ChatRequest { Messages = [new(ChatRole.User, "hi")], Model = "gemini/lite", Stream = stream });
        await using (await transport.SendAsync(call, CancellationToken.None))
        {
        }

        var seen = Assert.Single(server.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal(target, seen.PathAndQuery);
        Assert.Equal("2", seen.Headers["x-whole-version"]);
        Assert.Equal("citations,tools", seen.Headers["x-whole-features"]);
        Assert.Equal("k-whole", seen.Headers["x-whole-key"]);
        Assert.False(seen.Headers.ContainsKey("Authorization"));
        Assert.Equal(stream ? "text/event-stream" : "application/json", seen.Headers["Accept"]);
    }

    [Fact]
    public async Task SendAsync_AGet_HasNoBody()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteAsync(context, 200, "{}"));
        using var transport = new GatewayTransport(Options(server), new WholeCallProtocol(), httpClient: null, logger: null);

        await using (await transport.SendAsync(WireRequest.Get("jobs/7?wait=1", stream: false, model: null), CancellationToken.None))
        {
        }

        var seen = Assert.Single(server.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/v1/jobs/7?wait=1", seen.PathAndQuery);
        Assert.False(seen.Headers.ContainsKey("Content-Type"));
    }

    [Fact]
    public async Task SendAsync_AnErrorStatus_IsReadByTheProtocol()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteAsync(context, 400, "no such model|bad_model"));
        var protocol = new WholeCallProtocol();
        using var transport = new GatewayTransport(Options(server), protocol, httpClient: null, logger: null);
        var call = protocol.CreateCall(new ChatRequest { Messages = [new(ChatRole.User, "hi")], Model = "m" });

        var error = await Assert.ThrowsAsync<YuHuanApiException>(() => transport.SendAsync(call, CancellationToken.None));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("bad_model", error.ErrorType);
        Assert.Contains("no such model", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    private static YuHuanChatClientOptions Options(LoopbackServer server) => new()
    {
        Endpoint = server.Endpoint,
        ApiKey = "k-whole",
        MaxRetries = 0,
    };

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    }
}
