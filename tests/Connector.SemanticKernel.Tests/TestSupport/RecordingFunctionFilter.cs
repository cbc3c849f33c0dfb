using Microsoft.SemanticKernel;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>
/// An <see cref="IFunctionInvocationFilter"/> that logs <c>function {function} {city}</c> for every plugin function the
/// kernel runs (the prompt function <c>InvokePromptAsync</c> itself runs through it too, but has no plugin).
/// </summary>
public sealed class RecordingFunctionFilter(InvocationLog log) : IFunctionInvocationFilter
{
    /// <inheritdoc />
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (context.Function.PluginName is not null)
        {
            context.Arguments.TryGetValue("city", out var city);
            log.Add($"function {context.Function.PluginName}.{context.Function.Name} {city}");
        }

        await next(context);
    }
}
