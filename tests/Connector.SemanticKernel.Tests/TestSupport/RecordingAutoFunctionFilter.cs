using Microsoft.SemanticKernel;

namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>
/// An <see cref="IAutoFunctionInvocationFilter"/> that logs <c>auto {function} {callId}</c> for every call the model
/// asked for, and can end the loop after a given call id.
/// </summary>
public sealed class RecordingAutoFunctionFilter(InvocationLog log, string? terminateAfterCallId = null) : IAutoFunctionInvocationFilter
{
    /// <inheritdoc />
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        log.Add($"auto {context.Function.PluginName}.{context.Function.Name} {context.ToolCallId}");
        await next(context);
        if (context.ToolCallId == terminateAfterCallId)
        {
            context.Terminate = true;
        }
    }
}
