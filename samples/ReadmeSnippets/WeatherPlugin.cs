using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace ReadmeSnippets;

/// <summary>The plugin the Semantic Kernel snippet registers (not itself shown in a README).</summary>
internal sealed class WeatherPlugin
{
    [KernelFunction("get_forecast")]
    [Description("Gets today's forecast for a city.")]
    public static string GetForecast([Description("The city.")] string city) => $"Sunny in {city}";
}
