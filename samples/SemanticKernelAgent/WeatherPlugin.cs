using System.ComponentModel;
using Microsoft.SemanticKernel;

/// <summary>A kernel plugin the model can call: today's forecast from a small built-in table.</summary>
internal sealed class WeatherPlugin
{
    private static readonly Dictionary<string, string> Forecasts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Paris"] = "sunny, 21 °C, light wind",
        ["Tokyo"] = "heavy rain, 17 °C",
        ["Reykjavik"] = "overcast, 8 °C, gusts up to 60 km/h",
    };

    [KernelFunction("get_forecast")]
    [Description("Gets today's weather forecast for a city.")]
    public static string GetForecast([Description("The city, such as Paris.")] string city) =>
        Forecasts.TryGetValue(city, out var forecast) ? $"{city}: {forecast}" : $"{city}: no forecast available";
}
