using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>A kernel plugin that records every call it receives and answers from a fixed table.</summary>
public sealed class WeatherPlugin
{
    /// <summary>The name the plugin is registered under; the model sees its function as <c>Weather_GetForecast</c>.</summary>
    public const string PluginName = "Weather";

    /// <summary>The name of the plugin's function.</summary>
    public const string FunctionName = "GetForecast";

    private static readonly Dictionary<string, string> Forecasts = new(StringComparer.Ordinal)
    {
        ["Paris"] = "sunny",
        ["Tokyo"] = "rain",
    };

    private readonly ConcurrentQueue<string> _calls = new();

    /// <summary>Gets the calls received so far, as <c>city/unit</c>, in order.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>Returns the expected result text for a city and unit.</summary>
    public static string ResultFor(string city, string unit) => $"{city}: {Forecasts[city]}, reported in {unit}";

    /// <summary>Gets today's forecast; throws for a city it does not know.</summary>
    [KernelFunction(FunctionName)]
    [Description("Gets today's weather forecast for a city.")]
    public string GetForecast([Description("The city name.")] string city, [Description("celsius or fahrenheit.")] string unit = "celsius")
    {
        _calls.Enqueue($"{city}/{unit}");
        if (!Forecasts.ContainsKey(city))
        {
            throw new InvalidOperationException($"No forecast is available for {city}.");
        }

        return ResultFor(city, unit);
    }
}
