namespace YuHuan.Connector.SemanticKernel.Tests.TestSupport;

/// <summary>Which of the package's registrations a test kernel uses.</summary>
public enum Registration
{
    /// <summary><c>AddYuHuanChatCompletion</c>: the package's own <c>IChatCompletionService</c>.</summary>
    ChatCompletionService,

    /// <summary><c>AddYuHuanKernelChatClient</c>: the kernel's <c>IChatClient</c> path.</summary>
    ChatClient,
}
