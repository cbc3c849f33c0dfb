using System.Text.Json;
using Microsoft.SemanticKernel;
using YuHuan.Connector.Tests;
using YuHuan.Connector.SemanticKernel.Tests.TestSupport;
using YuHuan.Connector.Testing;

namespace YuHuan.Connector.SemanticKernel.Tests;

/// <summary>
/// A plugin function whose result cannot be written as JSON (an object that refers to itself): the kernel call ends
/// with an <see cref="ArgumentException"/> that names the tool call, never a raw <see cref="JsonException"/>, and the
/// result never reaches the gateway. Semantic Kernel hands the result object on as it is (it serializes nothing
/// before our code), so the connector's request writer is what refuses it, for both registrations, streamed or not.
/// </summary>
public sealed class UnwritablePluginResultTests : KernelTestBase
{
    private const string CallId = "call_loop";

    /// <summary>Both registrations, streamed and not, over every protocol under test.</summary>
    public static TheoryData<YuHuanProtocol, Registration, bool> Pipelines()
    {
        var data = new TheoryData<YuHuanProtocol, Registration, bool>();
        foreach (var protocol in TestProtocols.Protocols)
        {
            foreach (var registration in new[] { Registration.ChatCompletionService, Registration.ChatClient })
            {
                data.Add(protocol, registration, false);
                data.Add(protocol, registration, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pipelines))]
    public async Task InvokePromptAsync_PluginReturnsCyclicObject_ThrowsArgumentExceptionNamingTheCall(YuHuanProtocol protocol, Registration registration, bool streaming)
    {
        Emulator.Enqueue(new EmulatorReply().AddToolCall(CallId, CyclicPlugin.ToolName, "{}"), EmulatorReply.Text("Unreachable."));
        var kernel = CreateKernel(protocol, registration);
        var plugin = new CyclicPlugin();
        kernel.Plugins.AddFromObject(plugin, CyclicPlugin.PluginName);
        var arguments = new KernelArguments(AutoInvoke);

        var exception = await Record.ExceptionAsync(async () =>
        {
            if (!streaming)
            {
                await kernel.InvokePromptAsync("Loop?", arguments, cancellationToken: Timeout);
                return;
            }

            await foreach (var _ in kernel.InvokePromptStreamingAsync<StreamingChatMessageContent>("Loop?", arguments, cancellationToken: Timeout))
            {
            }
        });

        var argumentException = Assert.IsType<ArgumentException>(exception);
        Assert.StartsWith($"The result of tool call '{CallId}' cannot be written as JSON", argumentException.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(argumentException.InnerException);
        Assert.Equal(1, plugin.Calls);
        Assert.Single(Emulator.Requests);
    }
}
