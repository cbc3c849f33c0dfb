using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// A <see cref="ChatOptions"/> member never vanishes silently: each goes out in a field of the protocol, or the client logs,
/// once per client and option, at Information, that the protocol has no field for it. Real HTTP to the emulator.
/// </summary>
public sealed class UnsentOptionsEndToEndTests : EmulatorTestBase
{
    private static readonly ChatOptions EveryOption = new()
    {
        Temperature = 0.5f,
        TopP = 0.9f,
        TopK = 40,
        MaxOutputTokens = 900,
        StopSequences = ["END"],
        Seed = 7,
        FrequencyPenalty = 0.25f,
        PresencePenalty = 0.5f,
        Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low, Output = ReasoningOutput.None },
    };

    [Fact]
    public async Task Messages_SeedPenaltiesAndConversationId_LoggedOnceEachAndTheRestSent()
    {
        var log = new LogRecorder();
        using var client = CreateClient(YuHuanProtocol.Messages, log);
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
    public async Task Responses_SeedStopSequencesPenaltiesAndTopK_LoggedOnceEachAndTheRestSent()
    {
        var log = new LogRecorder();
        using var client = CreateClient(YuHuanProtocol.Responses, log);

        await client.GetResponseAsync("hi", EveryOption);
        await client.GetResponseAsync("hi again", EveryOption);

        JsonAssert.BodyEqual(
            """
            {
              "model": "yuhuan-test",
              "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}],
              "stream": false,
              "temperature": 0.5,
              "top_p": 0.9,
              "max_output_tokens": 900,
              "reasoning": {"effort": "low"}
            }
            """,
            Emulator.Requests[0].Json.GetRawText());
        Assert.Equal(
            ["FrequencyPenalty", "PresencePenalty", "Seed", "StopSequences", "TopK"],
            Unsent(log, "Responses"));
    }

    [Fact]
    public async Task ChatCompletions_ReasoningOutputAndConversationId_LoggedOnceEachAndTheRestSent()
    {
        var log = new LogRecorder();
        using var client = CreateClient(YuHuanProtocol.ChatCompletions, log);
        var options = EveryOption.Clone();
        options.ConversationId = "conversation-1";

        await client.GetResponseAsync("hi", options);
        await client.GetResponseAsync("hi again", options);

        JsonAssert.BodyEqual(
            """
            {
              "model": "yuhuan-test",
              "messages": [{"role": "user", "content": "hi"}],
              "stream": false,
              "temperature": 0.5,
              "top_p": 0.9,
              "top_k": 40,
              "max_tokens": 900,
              "stop": ["END"],
              "seed": 7,
              "frequency_penalty": 0.25,
              "presence_penalty": 0.5,
              "reasoning_effort": "low"
            }
            """,
            Emulator.Requests[0].Json.GetRawText());
        Assert.Equal(["ConversationId", "Reasoning.Output"], Unsent(log, "Chat Completions"));
    }

    [Fact]
    public async Task EveryClient_LogsItsOwnFirstTime()
    {
        var log = new LogRecorder();
        using var first = CreateClient(YuHuanProtocol.Messages, log);
        using var second = CreateClient(YuHuanProtocol.Messages, log);

        await first.GetResponseAsync("hi", new ChatOptions { Seed = 1 });
        await second.GetResponseAsync("hi", new ChatOptions { Seed = 2 });
        await first.GetResponseAsync("hi", new ChatOptions { Seed = 3 });

        Assert.Equal(2, log.Lines.Count(l => l.Text.Contains("ChatOptions.Seed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MappedOptionsOnly_NothingLogged()
    {
        var log = new LogRecorder();
        using var client = CreateClient(YuHuanProtocol.Messages, log);

        await client.GetResponseAsync("hi", new ChatOptions { Temperature = 0.1f, Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High, Output = ReasoningOutput.Full } });

        Assert.DoesNotContain(log.Lines, l => l.Level == LogLevel.Information);
    }

    [Fact]
    public async Task Messages_UseThinkingBudget_BudgetedThinkingReachesTheServer()
    {
        using var client = CreateClient(YuHuanProtocol.Messages, new LogRecorder(), useThinkingBudget: true);

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
        using var client = CreateClient(YuHuanProtocol.Messages, log, useThinkingBudget: true);
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
        using var client = CreateClient(YuHuanProtocol.Messages, log, useThinkingBudget: true);

        await client.GetResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Output = ReasoningOutput.None } });

        Assert.False(Emulator.Requests.Single().Json.TryGetProperty("thinking", out _));
        Assert.DoesNotContain(log.Lines, l => l.Level == LogLevel.Information);
    }

    /// <summary>The option names of the Information lines saying the protocol has no field for them, in order; each must be logged once.</summary>
    private static List<string> Unsent(LogRecorder log, string protocol)
    {
        var lines = log.Lines.Where(l => l.Level == LogLevel.Information).Select(l => l.Text).ToList();
        Assert.All(lines, line => Assert.Contains($"the {protocol} protocol has no field", line, StringComparison.Ordinal));
        var names = lines.Select(line => line[(line.IndexOf("ChatOptions.", StringComparison.Ordinal) + "ChatOptions.".Length)..line.IndexOf(' ', StringComparison.Ordinal)]).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        return [.. names.Order(StringComparer.Ordinal)];
    }

    private YuHuanChatClient CreateClient(YuHuanProtocol protocol, LogRecorder log, bool useThinkingBudget = false)
    {
        var options = new YuHuanChatClientOptions
        {
            Endpoint = Emulator.Endpoint,
            ApiKey = ApiKey,
            ModelId = "yuhuan-test",
            Protocol = protocol,
            UseThinkingBudget = useThinkingBudget,
        };
        return new YuHuanChatClient(options, loggerFactory: log);
    }
}
