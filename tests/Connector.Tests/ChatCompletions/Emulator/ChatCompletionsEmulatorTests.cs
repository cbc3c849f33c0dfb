using System.Net;
using System.Net.Http.Headers;
using System.Text;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions.Emulator;

/// <summary>The live emulator's Chat Completions endpoint over loopback, hit with a plain <see cref="HttpClient"/>: its error shapes.</summary>
public sealed class ChatCompletionsEmulatorTests : LoopbackEmulatorTestBase
{
    private const string StreamBody = """{"model":"fuzz-model","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task HttpError_OnChatCompletions_HasTheChatCompletionsShape()
    {
        Emulator.Enqueue(EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error", "rate_limited", TimeSpan.FromSeconds(2)));

        using var response = await PostAsync("/v1/chat/completions", StreamBody);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        JsonAssert.Equal("""{"error":{"message":"Slow down.","type":"rate_limit_error","code":"rate_limited","param":null}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EmulatorErrors_OnChatCompletions_HaveTheChatCompletionsShape()
    {
        Emulator.ExpectedApiKey = "sk-right";

        using var unauthorized = await PostAsync("/v1/chat/completions", StreamBody, headers: h => h.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        JsonAssert.Equal("""{"error":{"message":"Invalid API key.","type":"authentication_error","code":"invalid_api_key","param":null}}""", await unauthorized.Content.ReadAsStringAsync());
    }
}
