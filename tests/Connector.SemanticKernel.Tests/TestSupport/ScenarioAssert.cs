using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using YuHuan.Connector.Tests;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>Assertions shared by the scenarios that play <see cref="WeatherScript"/>.</summary>
public static class ScenarioAssert
{
    /// <summary>The filter log of the two calls run through both filter kinds, in order.</summary>
    public static readonly string[] BothFiltersBothCalls =
    [
        $"auto Weather.GetForecast {WeatherScript.ParisCallId}",
        "function Weather.GetForecast Paris",
        $"auto Weather.GetForecast {WeatherScript.TokyoCallId}",
        "function Weather.GetForecast Tokyo",
    ];

    /// <summary>Asserts the plugin ran both calls with the model's arguments.</summary>
    public static void PluginRanBothCalls(WeatherPlugin plugin) =>
        Assert.Equal(["Paris/celsius", "Tokyo/fahrenheit"], plugin.Calls);

    /// <summary>
    /// Asserts exactly two requests reached the gateway: the first advertised the plugin function, the second sent
    /// back both calls and both results, each result under its call's id.
    /// </summary>
    public static void SecondRequestCarriesBothResults(YuHuanEmulator emulator, YuHuanProtocol protocol)
    {
        var wire = TestProtocols.Kit(protocol);
        var requests = emulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Contains(WeatherScript.ToolName, wire.ToolNames(requests[0].Json));

        var calls = wire.ToolCalls(requests[1].Json);
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], calls.Select(call => call.CallId));
        Assert.All(calls, call => Assert.Equal(WeatherScript.ToolName, call.Name));
        Assert.Equal(["Paris", "Tokyo"], calls.Select(call => call.Arguments.GetProperty("city").GetString()));

        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ParisResult), (WeatherScript.TokyoCallId, WeatherScript.TokyoResult)],
            wire.ToolResults(requests[1].Json));
    }

    /// <summary>
    /// Asserts that the history, from <paramref name="start"/> on, holds one assistant message with both calls
    /// (plugin and function names split, arguments kept) followed by the results of both calls, and nothing else.
    /// </summary>
    public static void HistoryHoldsCallsAndResults(ChatHistory history, int start)
    {
        var added = history.Skip(start).ToList();
        var callMessage = added[0];
        Assert.Equal(AuthorRole.Assistant, callMessage.Role);
        var calls = callMessage.Items.OfType<FunctionCallContent>().ToList();
        Assert.Equal([WeatherScript.ParisCallId, WeatherScript.TokyoCallId], calls.Select(call => call.Id));
        Assert.All(calls, call =>
        {
            Assert.Equal(WeatherPlugin.PluginName, call.PluginName);
            Assert.Equal(WeatherPlugin.FunctionName, call.FunctionName);
        });
        Assert.Equal("Paris", calls[0].Arguments!["city"]?.ToString());

        var results = added.Skip(1).ToList();
        Assert.All(results, message => Assert.Equal(AuthorRole.Tool, message.Role));
        var resultItems = results.SelectMany(message => message.Items.OfType<FunctionResultContent>()).ToList();
        Assert.Equal(
            [(WeatherScript.ParisCallId, WeatherScript.ParisResult), (WeatherScript.TokyoCallId, WeatherScript.TokyoResult)],
            resultItems.Select(result => (result.CallId, result.Result?.ToString())));
        Assert.All(resultItems, result => Assert.Equal(WeatherPlugin.FunctionName, result.FunctionName));
    }
}
