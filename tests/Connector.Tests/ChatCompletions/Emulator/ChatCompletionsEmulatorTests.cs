using System.Net;
using System.Net.Http.Headers;
using System.Text;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions.Emulator;

/// <summary>The live emulator's Chat Completions endpoint over loopback, hit with a plain <see cref="HttpClient"/>: its error shapes.</summary>
public sealed class ChatCompletionsEmulatorTests : IAsyncLifetime
{
    private const string StreamBody = """{"model":"fuzz-model","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    private readonly HttpClient _http = new();

    private YuHuanEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await YuHuanEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
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
    public async Task EmulatorErrors_OnChatCompletions_HaveTheChatCompletionsShape()
    {
        _emulator.ExpectedApiKey = "sk-right";

        using var unauthorized = await PostAsync("/v1/chat/completions", StreamBody, apiKey: "sk-wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        JsonAssert.Equal("""{"error":{"message":"Invalid API key.","type":"authentication_error","code":"invalid_api_key","param":null}}""", await unauthorized.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string? apiKey = null)
    {
        var uri = new Uri(_emulator.Endpoint.GetLeftPart(UriPartial.Authority) + path);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return await _http.SendAsync(request);
    }
}
