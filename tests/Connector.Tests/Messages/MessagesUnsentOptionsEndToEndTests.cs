using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Tests.EndToEnd;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Messages;

/// <summary>The <see cref="ChatOptions"/> members Anthropic Messages sends, and those it logs once as having no field for them.</summary>
public sealed class MessagesUnsentOptionsEndToEndTests : UnsentOptionsTestBase
{
    [Fact]
    public async Task Messages_SeedPenaltiesAndConversationId_LoggedOnceEachAndTheRestSent()
    {
        var log = new LogRecorder();
        using var client = CreateLoggingClient(YuHuanProtocol.Messages, log);
        var options = EveryOption.Clone();
        options.ConversationId = "conversation-1";

        await client.GetResponseAsync("hi", options);
        await client.GetResponseAsync("hi again", options);

        var body = Emulator.Requests[0].Json;
        JsonAssert.BodyEqual(
            """
            {
              "model": "yuhuan-test",
              "max_tokens": 900,
              "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
              "stream": false,
              "temperature": 0.5,
              "top_p": 0.9,
              "top_k": 40,
              "stop_sequences": ["END"],
              "thinking": {"type": "adaptive", "display": "omitted"},
              "output_config": {"effort": "low"}
            }
            """,
            body.GetRawText());
        Assert.Equal(
            ["ConversationId", "FrequencyPenalty", "PresencePenalty", "Seed"],
            Unsent(log, "Messages"));
    }

    [Fact]
    public async Task EveryClient_LogsItsOwnFirstTime()
    {
        var log = new LogRecorder();
        using var first = CreateLoggingClient(YuHuanProtocol.Messages, log);
        using var second = CreateLoggingClient(YuHuanProtocol.Messages, log);

        await first.GetResponseAsync("hi", new ChatOptions { Seed = 1 });
        await second.GetResponseAsync("hi", new ChatOptions { Seed = 2 });
        await first.GetResponseAsync("hi", new ChatOptions { Seed = 3 });

        Assert.Equal(2, log.Lines.Count(l => l.Text.Contains("ChatOptions.Seed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MappedOptionsOnly_NothingLogged()
    {
        var log = new LogRecorder();
        using var client = CreateLoggingClient(YuHuanProtocol.Messages, log);

        await client.GetResponseAsync("hi", new ChatOptions { Temperature = 0.1f, Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High, Output = ReasoningOutput.Full } });

        Assert.DoesNotContain(log.Lines, l => l.Level == LogLevel.Information);
    }

    [Fact]
    public async Task Messages_UseThinkingBudget_BudgetedThinkingReachesTheServer()
    {
        using var client = CreateLoggingClient(YuHuanProtocol.Messages, new LogRecorder(), useThinkingBudget: true);

        await client.GetResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } });

        var body = Emulator.Requests.Single().Json;
        JsonAssert.Equal("""{"type":"enabled","budget_tokens":4096}""", body.GetProperty("thinking"));
        Assert.False(body.TryGetProperty("output_config", out _));
    }

    [Theory]
    [InlineData(ReasoningOutput.Summary)]
    [InlineData(ReasoningOutput.Full)]
    public async Task Messages_UseThinkingBudgetWithAnOutputAndNoEffort_NoThinkingSentAndLoggedOnce(ReasoningOutput output)
    {
        var log = new LogRecorder();
        using var client = CreateLoggingClient(YuHuanProtocol.Messages, log, useThinkingBudget: true);
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Output = output } };

        await client.GetResponseAsync("hi", options);
        await client.GetResponseAsync("hi again", options);

        Assert.All(Emulator.Requests, request => Assert.False(request.Json.TryGetProperty("thinking", out _)));
        var line = Assert.Single(log.Lines, l => l.Level == LogLevel.Information);
        Assert.Contains("ChatOptions.Reasoning.Output is not sent", line.Text, StringComparison.Ordinal);
        Assert.Contains("Reasoning.Effort", line.Text, StringComparison.Ordinal);
        Assert.Contains("UseThinkingBudget", line.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_UseThinkingBudgetWithOutputNoneAndNoEffort_NothingSentNorLogged()
    {
        var log = new LogRecorder();
        using var client = CreateLoggingClient(YuHuanProtocol.Messages, log, useThinkingBudget: true);

        await client.GetResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } });

        Assert.False(Emulator.Requests.Single().Json.TryGetProperty("thinking", out _));
        Assert.DoesNotContain(log.Lines, l => l.Level == LogLevel.Information);
    }
}
