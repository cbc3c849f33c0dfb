using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages.Emulator;

/// <summary>The live emulator's Messages endpoint over loopback, hit with a plain <see cref="HttpClient"/>: complete
/// messages, and its error shapes with their request ids.</summary>
public sealed class MessagesEmulatorTests : LoopbackEmulatorTestBase
{
    private const string StreamBody = """{"model":"fuzz-model","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private const string CompleteBody = """{"model":"fuzz-model","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task Post_MessagesWithoutStream_IsOneMessageObject()
    {
        Emulator.Enqueue(new EmulatorReply().AddText("Done.").AddToolCall(null, "f", """{"a":1}"""));

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
        Emulator.Enqueue(
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
        Emulator.ExpectedApiKey = "sk-right";

        using var unauthorized = await PostAsync("/v1/messages", StreamBody, headers: h => h.Add("x-api-key", "sk-wrong"));
        using var notJson = await PostAsync("/v1/messages", "not json", headers: h => h.Add("x-api-key", "sk-right"));
        using var get = await Http.GetAsync(new Uri(Emulator.Endpoint, "messages"));

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
        Emulator.Enqueue(EmulatorReply.Text("x").WithStreamError("Crashed.", "api_error"));

        using var response = await PostAsync("/v1/messages", CompleteBody);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        JsonAssert.Equal("""{"type":"error","error":{"type":"api_error","message":"Crashed."},"request_id":"req_emu_1"}""", await response.Content.ReadAsStringAsync());
    }
}
