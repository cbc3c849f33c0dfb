using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Testing;

/// <summary>The live emulator over loopback, hit with a plain <see cref="HttpClient"/>: which paths it serves, the
/// error shapes per protocol, and that it sends exactly the bytes its renderers and framing produce.</summary>
public sealed class YuHuanEmulatorTests : IAsyncLifetime
{
    private const string StreamBody = """{"model":"fuzz-model","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private const string CompleteBody = """{"model":"fuzz-model","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";

    // No automatic decompression: the tests see the bytes as sent.
    private readonly HttpClient _http = new();

    private YuHuanEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [InlineData("/chat/completions")]
    [InlineData("/messages")]
    [InlineData("/responses")]
    [InlineData("/v1/chat")]
    [InlineData("/v1/")]
    [InlineData("/v2/messages")]
    [InlineData("/v1/messages/extra")]
    public async Task Post_PathTheGatewayDoesNotServe_Is404InTheChatCompletionsShape(string path)
    {
        using var response = await PostAsync(path, CompleteBody);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("not_found_error", error.GetProperty("type").GetString());
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Single(_emulator.Requests);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/messages/")]
    [InlineData("//v1//messages")]
    public async Task Post_Messages_IsServedAsAMessagesStream(string path)
    {
        _emulator.Enqueue(EmulatorReply.Text("Hello from Messages."));

        using var response = await PostAsync(path, StreamBody);
        var events = RenderedEvent.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(path, Assert.Single(_emulator.Requests).Path);
        Assert.Equal("message_start", events[0].Type);
        Assert.Equal("msg_emu_1", events[0].Json.GetProperty("message").GetProperty("id").GetString());
        Assert.Equal("message_stop", events[^1].Type);
        Assert.Equal("Hello from Messages.", string.Concat(events.Where(e => e.Type == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString())));
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

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/chat/completions/")]
    [InlineData("//v1//chat//completions")]
    public async Task Post_ChatCompletions_IsServedAsChunksEndedByDone(string path)
    {
        _emulator.Enqueue(EmulatorReply.Text("Hello."));

        using var response = await PostAsync(path, StreamBody);
        var events = RenderedEvent.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chatcmpl-emu-1", events[0].Json.GetProperty("id").GetString());
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task HttpError_OnChatCompletions_HasTheChatCompletionsShape()
    {
        _emulator.Enqueue(EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error", "rate_limited", TimeSpan.FromSeconds(2)));

        using var response = await PostAsync("/v1/chat/completions", StreamBody);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        JsonAssert.Equal("""{"error":{"message":"Slow down.","type":"rate_limit_error","code":"rate_limited","param":null}}""", await response.Content.ReadAsStringAsync());
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
    public async Task EmulatorErrors_OnChatCompletions_HaveTheChatCompletionsShape()
    {
        _emulator.ExpectedApiKey = "sk-right";

        using var unauthorized = await PostAsync("/v1/chat/completions", StreamBody, apiKey: "sk-wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        JsonAssert.Equal("""{"error":{"message":"Invalid API key.","type":"authentication_error","code":"invalid_api_key","param":null}}""", await unauthorized.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StreamError_OnANonStreamedMessagesRequest_Is500InTheMessagesShape()
    {
        _emulator.Enqueue(EmulatorReply.Text("x").WithStreamError("Crashed.", "api_error"));

        using var response = await PostAsync("/v1/messages", CompleteBody);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        JsonAssert.Equal("""{"type":"error","error":{"type":"api_error","message":"Crashed."},"request_id":"req_emu_1"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", true)]
    [InlineData("\r", true)]
    public async Task Messages_LiveBytes_EqualTheRenderedAndFramedBytes(string lineEnding, bool gzip)
    {
        var reply = new EmulatorReply()
            .AddReasoning("Weighing ünïcödé 😀.", chunkSize: 3, signature: "sig")
            .AddPadding(70_000)
            .AddText("Answer.", chunkSize: 2)
            .AddToolCall(null, "f", """{"k":"v"}""", fragments: 3)
            .WithUsage(40, 9, cachedInputTokens: 10)
            .WithLineEnding(lineEnding)
            .WithComments();
        if (gzip)
        {
            reply.WithGzip();
        }

        _emulator.Enqueue(reply);

        using var response = await PostAsync("/v1/messages", StreamBody);
        var live = await response.Content.ReadAsByteArrayAsync();
        if (gzip)
        {
            Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
            using var decompressed = new MemoryStream();
            await using (var unzip = new GZipStream(new MemoryStream(live), CompressionMode.Decompress))
            {
                await unzip.CopyToAsync(decompressed);
            }

            live = decompressed.ToArray();
        }
        else
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
        }
        Assert.True(MessagesWireFormat.Instance.RenderBody(reply).AsSpan().SequenceEqual(live), "the live body differs from the rendered one");
    }

    [Fact]
    public async Task Messages_PauseThenDrop_SendsExactlyTheFirstEventsThenAborts()
    {
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = new EmulatorReply().AddText("One two three four.", chunkSize: 4).PauseAfter(4, resume.Task).DropConnectionAfter(4);
        _emulator.Enqueue(reply);
        var expected = MessagesWireFormat.Instance.RenderEvents(reply).Take(4).SelectMany(e => e).ToArray();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator.Endpoint, "messages")) { Content = Json(StreamBody) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new byte[expected.Length];
        await stream.ReadExactlyAsync(received);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(received));
        Assert.EndsWith("content_block_delta", Encoding.UTF8.GetString(received).Split("event: ")[^1].Split('\n')[0], StringComparison.Ordinal);
        resume.SetResult();
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            // The abort must not look like a clean end of the body.
            var buffer = new byte[256];
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string? apiKey = null)
    {
        var uri = new Uri(_emulator.Endpoint.GetLeftPart(UriPartial.Authority) + path);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = Json(body) };
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return await _http.SendAsync(request);
    }
}
