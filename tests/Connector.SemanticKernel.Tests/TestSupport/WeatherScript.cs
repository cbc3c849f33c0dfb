using YuHuan.Connector.Tests;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>The scripted conversation every scenario plays: two parallel forecast calls, then an answer.</summary>
public static class WeatherScript
{
    /// <summary>The user's question.</summary>
    public const string Prompt = "What is the weather in Paris and in Tokyo?";

    /// <summary>The name the model calls the plugin function by.</summary>
    public const string ToolName = WeatherPlugin.PluginName + "_" + WeatherPlugin.FunctionName;

    /// <summary>The reasoning of the first turn, streamed in small pieces.</summary>
    public const string CallReasoning = "Two cities: I will ask the forecast tool for both at once.";

    /// <summary>The signature that protects <see cref="CallReasoning"/>; a Messages request must send it back unchanged.</summary>
    public const string CallSignature = "sig-weather-EqQBCkYIBxgCKkB+/zZ9==";

    /// <summary>The reasoning of the answering turn.</summary>
    public const string AnswerReasoning = "Both forecasts are in; summarise them.";

    /// <summary>The signature that protects <see cref="AnswerReasoning"/>.</summary>
    public const string AnswerSignature = "sig-answer-Zm9yZWNhc3Q=";

    /// <summary>The final answer text.</summary>
    public const string Answer = "Paris is sunny (celsius) and Tokyo has rain (fahrenheit).";

    /// <summary>The id of the call for Paris.</summary>
    public const string ParisCallId = "call_paris";

    /// <summary>The id of the call for Tokyo.</summary>
    public const string TokyoCallId = "call_tokyo";

    /// <summary>The result the plugin returns for the Paris call.</summary>
    public static string ParisResult => WeatherPlugin.ResultFor("Paris", "celsius");

    /// <summary>The result the plugin returns for the Tokyo call.</summary>
    public static string TokyoResult => WeatherPlugin.ResultFor("Tokyo", "fahrenheit");

    /// <summary>
    /// The first reply: signed reasoning (Anthropic signs every thinking block; Chat Completions gets the signature the
    /// OpenRouter way), then two tool calls whose arguments arrive in fragments.
    /// </summary>
    public static EmulatorReply ToolCalls(string tokyoCity = "Tokyo") => new EmulatorReply()
        .AddReasoning(CallReasoning, chunkSize: 12, signature: CallSignature)
        .AddToolCall(ParisCallId, ToolName, """{"city":"Paris","unit":"celsius"}""", fragments: 3)
        .AddToolCall(TokyoCallId, ToolName, $$"""{"city":"{{tokyoCity}}","unit":"fahrenheit"}""", fragments: 4)
        .WithUsage(inputTokens: 52, outputTokens: 30, reasoningTokens: 14);

    /// <summary>
    /// The reasoning token counts the two replies report, in order: a protocol without a field for them reports none.
    /// </summary>
    public static long[] ReportedReasoningTokens(YuHuanProtocol protocol) => TestProtocols.Kit(protocol).ReportsReasoningTokens ? [14, 5] : [0, 0];

    /// <summary>The second reply: signed reasoning, then the answer.</summary>
    public static EmulatorReply FinalAnswer(string answer = Answer) => new EmulatorReply()
        .AddReasoning(AnswerReasoning, chunkSize: 10, signature: AnswerSignature)
        .AddText(answer, chunkSize: 8)
        .WithUsage(inputTokens: 120, outputTokens: 25, reasoningTokens: 5);
}
