// README.md, "Testing your app without a network: the emulator".
using Xunit;
using YuHuan.Connector.Testing;

namespace ReadmeSnippets;

internal static class Emulator
{
    public static async Task RunAsync()
    {
        // <snippet:emulator>
        await using var emulator = await YuHuanEmulator.StartAsync();
        emulator.ExpectedApiKey = "test-key";               // optional: other keys get 401 invalid_api_key

        emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("The user wants the weather in Paris.")
                .AddToolCall("call_1", "get_weather", """{"city":"Paris"}""", fragments: 3)
                .WithUsage(inputTokens: 40, outputTokens: 12),
            EmulatorReply.Text("It is sunny in Paris."),
            EmulatorReply.HttpError(429, "Slow down.", "rate_limit_error", retryAfter: TimeSpan.FromSeconds(1)));

        // Point the client at emulator.Endpoint ("http://127.0.0.1:{port}/v1/") and run your code.

        RecordedRequest first = emulator.Requests[0];
        Assert.True(first.IsStreaming);
        Assert.Equal("Bearer test-key", first.Headers["Authorization"]);
        Assert.Equal("user", first.Json.GetProperty("messages")[0].GetProperty("role").GetString());
        // </snippet:emulator>
    }
}
