using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages.Emulator;

/// <summary>The live emulator's Messages endpoint over loopback, hit with a plain <see cref="HttpClient"/>: complete
/// messages, and its error shapes with their request ids.</summary>
public sealed class MessagesEmulatorTests : IAsyncLifetime
{
    private const string StreamBody = """{"model":"fuzz-model","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private const string CompleteBody = """{"model":"fuzz-model","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";

    private readonly HttpClient _http = new();

    private YuHuanEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Post_MessagesWithoutStream_IsOneMessageObject()
    {
        _emulator.Enqueue(new EmulatorReply().AddText("Done.").AddToolCall(null, "f", """{"a":1}"""));

        using var response = await PostAsync("/v1/messages", CompleteBody);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("fuzz-model", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("tool_use", json.RootElement.GetProperty("stop_reason").GetString());
        var call = json.RootElement.GetProperty("content")[1];
        Assert.Equal("toolu_emu_1", call.GetProperty("id").GetString());
        Assert.Equal(1, call.GetProperty("input").GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task HttpError_OnMessages_HasTheMessagesShapeWithARequestId()
    {
        _emulator.Enqueue(
            EmulatorReply.HttpError(529, "Overloaded.", "overloaded_error", "ignored"),
            EmulatorReply.HttpError(400, "Bad.", "invalid_request_error"));

        using var first = await PostAsync("/v1/messages", StreamBody);
        using var second = await PostAsync("/v1/messages", StreamBody);

        Assert.Equal(529, (int)first.StatusCode);
        JsonAssert.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded."},"request_id":"req_emu_1"}""", await first.Content.ReadAsStringAsync());
        JsonAssert.Equal("""{"type":"error","error":{"type":"invalid_request_error","message":"Bad."},"request_id":"req_emu_2"}""", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EmulatorErrors_OnMessages_HaveTheMessagesShape()
    {
        _emulator.ExpectedApiKey = "sk-right";

        using var unauthorized = await PostAsync("/v1/messages", StreamBody, apiKey: "sk-wrong");
        using var notJson = await PostAsync("/v1/messages", "not json", apiKey: "sk-right");
        using var get = await _http.GetAsync(new Uri(_emulator.Endpoint, "messages"));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        JsonAssert.Equal("""{"type":"error","error":{"type":"authentication_error","message":"Invalid API key."},"request_id":"req_emu_1"}""", await unauthorized.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        JsonAssert.Equal("""{"type":"error","error":{"type":"invalid_request_error","message":"The request body must be a JSON object."},"request_id":"req_emu_2"}""", await notJson.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        JsonAssert.Equal("""{"type":"error","error":{"type":"invalid_request_error","message":"Method GET is not allowed; use POST."},"request_id":"req_emu_3"}""", await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StreamError_OnANonStreamedMessagesRequest_Is500InTheMessagesShape()
    {
        _emulator.Enqueue(EmulatorReply.Text("x").WithStreamError("Crashed.", "api_error"));

        using var response = await PostAsync("/v1/messages", CompleteBody);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        JsonAssert.Equal("""{"type":"error","error":{"type":"api_error","message":"Crashed."},"request_id":"req_emu_1"}""", await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string? apiKey = null)
    {
        var uri = new Uri(_emulator.Endpoint.GetLeftPart(UriPartial.Authority) + path);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return await _http.SendAsync(request);
    }
}
