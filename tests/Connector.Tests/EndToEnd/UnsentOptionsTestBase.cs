using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.EndToEnd;

/// <summary>
/// A <see cref="ChatOptions"/> member never vanishes silently: each goes out in a field of the protocol, or the client logs,
/// once per client and option, at Information, that the protocol has no field for it. Real HTTP to the emulator; each
/// protocol's folder holds its own cases, built on the options and readers here.
/// </summary>
public abstract class UnsentOptionsTestBase : EmulatorTestBase
{
    /// <summary>Every option a protocol may or may not have a field for.</summary>
    protected static readonly ChatOptions EveryOption = new()
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

    /// <summary>The option names of the Information lines saying the protocol has no field for them, in order; each must be logged once.</summary>
    private protected static List<string> Unsent(LogRecorder log, string protocol)
    {
        var lines = log.Lines.Where(l => l.Level == LogLevel.Information).Select(l => l.Text).ToList();
        Assert.All(lines, line => Assert.Contains($"the {protocol} protocol has no field", line, StringComparison.Ordinal));
        var names = lines.Select(line => line[(line.IndexOf("ChatOptions.", StringComparison.Ordinal) + "ChatOptions.".Length)..line.IndexOf(' ', StringComparison.Ordinal)]).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>Creates a client of <paramref name="protocol"/> that logs to <paramref name="log"/>.</summary>
    private protected YuHuanChatClient CreateLoggingClient(YuHuanProtocol protocol, LogRecorder log, bool useThinkingBudget = false)
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
