using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>
/// The live emulator serving made-up protocols only: the request handler reaches a protocol through its renderer and
/// optional capabilities (<see cref="IProtocolState"/>, <see cref="IResourceEndpoint"/>), never by name, so these hold
/// for any protocol registered in <see cref="EmulatorProtocols"/>.
/// </summary>
public sealed class EmulatorCapabilitiesTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();

    private YuHuanEmulator _emulator = null!;

    private FakeProtocolState State => _emulator.Protocols.State<FakeProtocolState>()!;

    public async Task InitializeAsync() =>
        _emulator = await YuHuanEmulator.StartAsync([new FakeProtocolRenderer("plain"), new FakeStatefulRenderer("kept")], CancellationToken.None);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [InlineData("/v1/other")]
    [InlineData("/plain")]
    [InlineData("/v1/plain/abc")]
    public async Task Post_PathNoProtocolServes_Is404InTheShapeOfTheFirstRegistered(string path)
    {
        using var response = await SendAsync(HttpMethod.Post, path, """{"stream":false}""");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("plain", json.RootElement.GetProperty("fake_error_of").GetString());
        Assert.Equal("not_found_error", json.RootElement.GetProperty("type").GetString());
        Assert.Contains("/v1/plain and /v1/kept", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_StatelessProtocol_IsRenderedByItsRenderer()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/plain", "{}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("renderer", json.RootElement.GetProperty("by").GetString());
        Assert.Equal("plain_emu_1", json.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_StatefulProtocol_IsRenderedAndKeptByItsState(bool stream)
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/kept", stream ? """{"stream":true}""" : "{}");
        var body = await response.Content.ReadAsByteArrayAsync();
        var json = stream ? Assert.Single(RenderedEvent.Parse(body)).Json : JsonElement.Parse(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("state", json.GetProperty("by").GetString());
        Assert.Equal(["kept_emu_1"], State.Kept);
    }

    [Fact]
    public async Task Get_AResourceOfTheProtocol_IsServedByItsStateAndTakesNoReply()
    {
        using (await SendAsync(HttpMethod.Post, "/v1/kept", "{}"))
        {
        }

        _emulator.Enqueue(EmulatorReply.HttpError(503, "Queued for the next POST."));
        using var get = await SendAsync(HttpMethod.Get, "//v1/kept/kept_emu_1/");
        using var json = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
        using var unknown = await SendAsync(HttpMethod.Get, "/v1/kept/kept_emu_9");
        using var next = await SendAsync(HttpMethod.Post, "/v1/kept", "{}");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(("state", "kept_emu_1"), (json.RootElement.GetProperty("by").GetString(), json.RootElement.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, next.StatusCode);
        Assert.Equal(4, _emulator.Requests.Count);
    }

    [Fact]
    public async Task Post_ToAResource_Is405WithAllowGet_InTheProtocolsShape()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/kept/kept_emu_1", "{}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
        Assert.Equal("kept", json.RootElement.GetProperty("fake_error_of").GetString());
    }

    [Fact]
    public async Task Get_AResourceWithoutTheApiKey_Is401InTheProtocolsShape()
    {
        _emulator.ExpectedApiKey = "secret";

        using var response = await SendAsync(HttpMethod.Get, "/v1/kept/kept_emu_1");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(("kept", "authentication_error"), (json.RootElement.GetProperty("fake_error_of").GetString(), json.RootElement.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Get_UnderAStatelessProtocol_Is404InTheDefaultShape()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/plain/abc");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("plain", JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("fake_error_of").GetString());
    }

    [Fact]
    public async Task Post_RejectedByTheState_Is400InTheProtocolsShape_AndTakesNoReply()
    {
        _emulator.Enqueue(EmulatorReply.HttpError(503, "Queued for the next POST."));

        using var rejected = await SendAsync(HttpMethod.Post, "/v1/kept", """{"refers_to":"kept_emu_7"}""");
        using var json = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync());
        using var next = await SendAsync(HttpMethod.Post, "/v1/kept", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(("kept", "not_kept"), (json.RootElement.GetProperty("fake_error_of").GetString(), json.RootElement.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, next.StatusCode);
    }

    [Fact]
    public async Task Post_NamingWhatTheStateKept_IsServed()
    {
        using (await SendAsync(HttpMethod.Post, "/v1/kept", "{}"))
        {
        }

        using var response = await SendAsync(HttpMethod.Post, "/v1/kept", """{"refers_to":"kept_emu_1"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["kept_emu_1", "kept_emu_2"], State.Kept.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/v1/plain", "{}", HttpStatusCode.InternalServerError)]
    [InlineData("/v1/kept", "{}", HttpStatusCode.InternalServerError)]
    [InlineData("/v1/kept", """{"later":true}""", HttpStatusCode.OK)]
    public async Task Post_StreamErrorWithoutStream_Is500UnlessTheStateDefersIt(string path, string body, HttpStatusCode expected)
    {
        _emulator.Enqueue(new EmulatorReply().AddText("Hi.").WithStreamError("Boom."));

        using var response = await SendAsync(HttpMethod.Post, path, body);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? "state" : "Boom.", json.RootElement.GetProperty(expected == HttpStatusCode.OK ? "by" : "message").GetString());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null)
    {
        var uri = new Uri(_emulator.Endpoint.GetLeftPart(UriPartial.Authority) + path);
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return await _http.SendAsync(request);
    }
}
