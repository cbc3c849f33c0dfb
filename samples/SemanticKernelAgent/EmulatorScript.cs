using System.Text.Json;
using YuHuan.Connector.Testing;

/// <summary>
/// The replies the emulator plays when no API key is set: for each user turn, the model first asks for the
/// plugin (where a real model would) and then answers with what the plugin returned, streamed at a reading pace.
/// </summary>
internal static class EmulatorScript
{
    /// <summary>The plugin's function as the model is told of it: plugin and function name joined with '_'.</summary>
    private const string Forecast = "Weather_GetForecast";

    private const string ParisAndTokyoAnswer = "Paris is sunny at 21 °C with a light wind, while Tokyo gets heavy rain at 17 °C.";
    private const string ReykjavikAnswer = "Reykjavik is overcast at 8 °C with gusts up to 60 km/h, so bring a warm, windproof jacket.";

    /// <summary>Tens of milliseconds between streamed events, so the answers visibly stream.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(40);

    public static void Enqueue(YuHuanEmulator emulator)
    {
        // Kernel loop, turn 1: two forecast calls at once, then the answer.
        emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("The user asks about two cities. I will get both forecasts in parallel.")
                .AddToolCall("call_paris", Forecast, """{"city":"Paris"}""", fragments: 3)
                .AddToolCall("call_tokyo", Forecast, """{"city":"Tokyo"}""", fragments: 3)
                .WithUsage(inputTokens: 96, outputTokens: 41, reasoningTokens: 18)
                .WithDelayBetweenEvents(Pace),
            new EmulatorReply()
                .AddReasoning("Paris is sunny and mild; Tokyo is rainy.")
                .AddText(ParisAndTokyoAnswer)
                .WithUsage(inputTokens: 171, outputTokens: 38, reasoningTokens: 10)
                .WithDelayBetweenEvents(Pace));

        // Kernel loop, turn 2: answered from the history, no tool needed.
        emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("Rain was forecast for Tokyo only.")
                .AddText("Pack the umbrella for Tokyo; Paris should stay dry.")
                .WithUsage(inputTokens: 224, outputTokens: 19, reasoningTokens: 8)
                .WithDelayBetweenEvents(Pace));

        // Agent, turn 1 (the conversation so far goes with it): one forecast call, then the answer.
        emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("Paris and Tokyo are covered; now the forecast for Reykjavik.")
                .AddToolCall("call_reykjavik", Forecast, """{"city":"Reykjavik"}""", fragments: 2)
                .WithUsage(inputTokens: 260, outputTokens: 22, reasoningTokens: 9)
                .WithDelayBetweenEvents(Pace),
            new EmulatorReply()
                .AddReasoning("Cold and windy: suggest layers.")
                .AddText(ReykjavikAnswer)
                .WithUsage(inputTokens: 312, outputTokens: 30, reasoningTokens: 7)
                .WithDelayBetweenEvents(Pace));

        // Agent, turn 2: a follow-up that relies on the session's history.
        emulator.Enqueue(
            new EmulatorReply()
                .AddText("In short: dry in Paris, rain in Tokyo, and cold, grey and windy in Reykjavik.")
                .WithUsage(inputTokens: 350, outputTokens: 18)
                .WithDelayBetweenEvents(Pace));
    }

    /// <summary>
    /// Checks what the emulator received: each agent question must have gone out with the turns before it, as a
    /// real model needs them to make sense of "And what about Reykjavik?".
    /// </summary>
    /// <returns>What is missing, or <see langword="null"/> when every question carried its history.</returns>
    public static string? FindMissingHistory(IReadOnlyList<RecordedRequest> requests) =>
        FindMissingHistory(requests, Questions.Reykjavik, [Questions.ParisAndTokyo, ParisAndTokyoAnswer, "Paris: sunny", Questions.Umbrella])
        ?? FindMissingHistory(requests, Questions.SumUp, [Questions.ParisAndTokyo, Questions.Reykjavik, "Reykjavik: overcast", ReykjavikAnswer]);

    private static string? FindMissingHistory(IReadOnlyList<RecordedRequest> requests, string question, string[] earlier)
    {
        // The first model call of the turn: the one whose last message is the question.
        var request = requests.FirstOrDefault(r => Messages(r) is [.., ("user", var last)] && last == question);
        if (request is null)
        {
            return $"No request asked \"{question}\".";
        }

        var sent = Messages(request);
        var missing = earlier.Where(text => !sent.Any(m => m.Text.Contains(text, StringComparison.Ordinal))).ToArray();
        return missing.Length == 0
            ? null
            : $"\"{question}\" was sent without the earlier turns: its {sent.Count} messages lack {string.Join(", ", missing.Select(m => $"\"{m}\""))}.";
    }

    /// <summary>The role and text of each message of a Chat Completions request.</summary>
    private static List<(string Role, string Text)> Messages(RecordedRequest request)
    {
        var messages = new List<(string Role, string Text)>();
        if (request.Json.ValueKind != JsonValueKind.Object || !request.Json.TryGetProperty("messages", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return messages;
        }

        foreach (var message in array.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) ? r.GetString() ?? string.Empty : string.Empty;
            var text = !message.TryGetProperty("content", out var content) ? string.Empty
                : content.ValueKind == JsonValueKind.String ? content.GetString()!
                : content.ValueKind == JsonValueKind.Array
                    ? string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : null))
                    : string.Empty;
            messages.Add((role, text));
        }

        return messages;
    }
}
