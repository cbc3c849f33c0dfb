using YuHuan.Connector.Testing;

/// <summary>
/// The replies the emulator plays when no API key is set: for each user turn, the model first asks for the
/// plugin (where a real model would) and then answers with what the plugin returned.
/// </summary>
internal static class EmulatorScript
{
    public static void Enqueue(YuHuanEmulator emulator)
    {
        // Kernel loop, turn 1: two forecast calls at once, then the answer.
        emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("The user asks about two cities. I will get both forecasts in parallel.")
                .AddToolCall("call_paris", "Weather_get_forecast", """{"city":"Paris"}""", fragments: 3)
                .AddToolCall("call_tokyo", "Weather_get_forecast", """{"city":"Tokyo"}""", fragments: 3)
                .WithUsage(inputTokens: 96, outputTokens: 41, reasoningTokens: 18),
            new EmulatorReply()
                .AddReasoning("Paris is sunny and mild; Tokyo is rainy.")
                .AddText("Paris is sunny at 21 °C with a light wind, while Tokyo gets heavy rain at 17 °C.")
                .WithUsage(inputTokens: 171, outputTokens: 38, reasoningTokens: 10));

        // Kernel loop, turn 2: answered from the history, no tool needed.
        emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("Rain was forecast for Tokyo only.")
                .AddText("Pack the umbrella for Tokyo; Paris should stay dry.")
                .WithUsage(inputTokens: 224, outputTokens: 19, reasoningTokens: 8));

        // Agent, turn 1: one forecast call, then the answer.
        emulator.Enqueue(
            new EmulatorReply()
                .AddReasoning("I need the forecast for Reykjavik.")
                .AddToolCall("call_reykjavik", "Weather_get_forecast", """{"city":"Reykjavik"}""", fragments: 2)
                .WithUsage(inputTokens: 88, outputTokens: 22, reasoningTokens: 9),
            new EmulatorReply()
                .AddReasoning("Cold and windy: suggest layers.")
                .AddText("Reykjavik is overcast at 8 °C with gusts up to 60 km/h, so bring a warm, windproof jacket.")
                .WithUsage(inputTokens: 140, outputTokens: 30, reasoningTokens: 7));

        // Agent, turn 2: a follow-up that relies on the session's history.
        emulator.Enqueue(
            new EmulatorReply()
                .AddText("In short: cold, grey and windy in Reykjavik today.")
                .WithUsage(inputTokens: 190, outputTokens: 14));
    }
}
