using Microsoft.SemanticKernel;
using AIFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;

namespace YuHuan.Connector.SemanticKernel;

/// <summary>
/// Maps the tool names the model sees back to kernel plugin and function names, and remembers which function
/// each call id named so that results can be labelled.
/// </summary>
/// <remarks>
/// Semantic Kernel advertises a plugin function as <c>{plugin}_{function}</c>. Its content types keep the two
/// parts apart (<see cref="FunctionCallContent.InvokeAsync"/> looks the function up by both), and its streaming
/// convention joins them with <c>-</c>, which <see cref="FunctionCallContentBuilder"/> splits again.
/// </remarks>
internal sealed class FunctionNameResolver
{
    private const char ToolNameSeparator = '_';
    private const char StreamingNameSeparator = '-';

    private readonly Kernel? _kernel;
    private readonly Dictionary<string, (string? PluginName, string FunctionName)> _callNames = new(StringComparer.Ordinal);

    /// <summary>Initializes a resolver for the plugins of <paramref name="kernel"/>, if any.</summary>
    public FunctionNameResolver(Kernel? kernel)
    {
        _kernel = kernel;
    }

    /// <summary>Returns the name Semantic Kernel gives a function it advertises as a tool.</summary>
    public static string ToToolName(string? pluginName, string functionName) =>
        string.IsNullOrEmpty(pluginName) ? functionName : pluginName + ToolNameSeparator + functionName;

    /// <summary>Returns the name a streamed function call update carries: <c>{plugin}-{function}</c>.</summary>
    public static string ToStreamingName(string? pluginName, string functionName) =>
        string.IsNullOrEmpty(pluginName) ? functionName : pluginName + StreamingNameSeparator + functionName;

    /// <summary>Splits a tool name into the kernel plugin and function it names, and remembers it for the call.</summary>
    /// <returns>The plugin name (or <see langword="null"/> when the tool is not a kernel plugin function) and the function name.</returns>
    public (string? PluginName, string FunctionName) Resolve(AIFunctionCallContent call)
    {
        var names = Split(call.Name);
        _callNames[call.CallId] = names;
        return names;
    }

    /// <summary>Returns the names of the function a call id named, if a call with that id was resolved.</summary>
    public (string? PluginName, string? FunctionName) ForCall(string callId) =>
        _callNames.TryGetValue(callId, out var names) ? names : (null, null);

    private (string? PluginName, string FunctionName) Split(string toolName)
    {
        if (_kernel is not null)
        {
            foreach (var plugin in _kernel.Plugins)
            {
                var prefix = plugin.Name.Length;
                if (toolName.Length > prefix + 1
                    && toolName[prefix] == ToolNameSeparator
                    && toolName.StartsWith(plugin.Name, StringComparison.Ordinal)
                    && plugin.TryGetFunction(toolName[(prefix + 1)..], out var function))
                {
                    return (plugin.Name, function.Name);
                }
            }
        }

        return (null, toolName);
    }
}
