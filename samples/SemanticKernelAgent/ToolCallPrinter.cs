using Microsoft.SemanticKernel;

/// <summary>A kernel filter that shows each plugin call the model asks for, before the kernel runs it.</summary>
internal sealed class ToolCallPrinter : IAutoFunctionInvocationFilter
{
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        // Shown as the model names it: plugin and function joined with '_'.
        var arguments = string.Join(", ", context.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? []);
        ConsoleRenderer.Note($"[tool call] {context.Function.PluginName}_{context.Function.Name}({arguments})");
        await next(context);
    }
}
