using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.SemanticKernel;

/// <summary>
/// A kernel plugin the model can call: today's forecast from a small built-in table. Registered as <c>Weather</c>,
/// its function reaches the model as <c>Weather_GetForecast</c> (plugin and function name joined with <c>_</c>).
/// </summary>
internal sealed class WeatherPlugin
{
    private static readonly Dictionary<string, string> Forecasts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Paris"] = "sunny, 21 °C, light wind",
        ["Tokyo"] = "heavy rain, 17 °C",
        ["Reykjavik"] = "overcast, 8 °C, gusts up to 60 km/h",
    };

    private readonly ConcurrentQueue<string> _cities = new();

    /// <summary>Gets the cities the forecast was asked for, in order: the sample checks that the model used the plugin.</summary>
    public IReadOnlyCollection<string> Cities => _cities;

    [KernelFunction]
    [Description("Gets today's weather forecast for a city.")]
    public string GetForecast([Description("The city, such as Paris.")] string city)
    {
        _cities.Enqueue(city);
        return Forecasts.TryGetValue(city, out var forecast) ? $"{city}: {forecast}" : $"{city}: no forecast available";
    }
}
