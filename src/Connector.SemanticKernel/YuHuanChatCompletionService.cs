using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;

namespace YuHuan.Connector.SemanticKernel;

/// <summary>
/// An <see cref="IChatCompletionService"/> over the YuHuan chat pipeline. Unlike Semantic Kernel's generic
/// adapter it keeps reasoning (<see cref="ReasoningContent"/>, <see cref="StreamingReasoningContent"/>), streams
/// function results as tool-role chunks, and reports usage and the finish reason in the message metadata.
/// </summary>
/// <remarks>
/// As with Semantic Kernel's own services, the assistant messages carrying function calls and the tool messages
/// carrying their results are added to the chat history; the final message is returned (or streamed) and left to
/// the caller to add.
/// </remarks>
internal sealed class YuHuanChatCompletionService : IChatCompletionService, IDisposable
{
    private readonly IChatClient _chatClient;

    /// <summary>Initializes the service over <paramref name="chatClient"/>, which it disposes with itself.</summary>
    public YuHuanChatCompletionService(IChatClient chatClient)
    {
        _chatClient = chatClient;
        var attributes = new Dictionary<string, object?>();
        var metadata = chatClient.GetService<ChatClientMetadata>();
        if (metadata?.DefaultModelId is { } modelId)
        {
            attributes[AIServiceExtensions.ModelIdKey] = modelId;
        }

        if (metadata?.ProviderUri is { } endpoint)
        {
            attributes[AIServiceExtensions.EndpointKey] = endpoint.ToString();
        }

        Attributes = new ReadOnlyDictionary<string, object?>(attributes);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var response = await _chatClient.GetResponseAsync(
            KernelContentConverter.ToChatMessages(chatHistory),
            executionSettings.ToChatOptions(kernel),
            cancellationToken).ConfigureAwait(false);

        return AddIntermediateMessages(chatHistory, response, new FunctionNameResolver(kernel)) is { } last ? [last] : [];
    }

    /// <inheritdoc />
    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var messages = KernelContentConverter.ToChatMessages(chatHistory);
        var options = executionSettings.ToChatOptions(kernel);
        return StreamAsync(chatHistory, messages, options, kernel, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _chatClient.Dispose();

    /// <summary>
    /// Adds every message of the response but the last to the history (function calls and their results, in
    /// order) and returns the last one converted, or <see langword="null"/> when the response has no message.
    /// </summary>
    private static ChatMessageContent? AddIntermediateMessages(ChatHistory chatHistory, ChatResponse response, FunctionNameResolver names)
    {
        var messages = response.Messages;
        for (var i = 0; i < messages.Count - 1; i++)
        {
            chatHistory.Add(KernelContentConverter.ToChatMessageContent(messages[i], response, names, withResponseMetadata: false));
        }

        return messages.Count == 0
            ? null
            : KernelContentConverter.ToChatMessageContent(messages[^1], response, names, withResponseMetadata: true);
    }

    private async IAsyncEnumerable<StreamingChatMessageContent> StreamAsync(
        ChatHistory chatHistory,
        List<ChatMessage> messages,
        ChatOptions? options,
        Kernel? kernel,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = new FunctionNameResolver(kernel);
        var updates = new List<ChatResponseUpdate>();
        var functionCallIndex = 0;
        await foreach (var update in _chatClient.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            foreach (var chunk in KernelContentConverter.ToStreamingChatMessageContents(update, names, ref functionCallIndex))
            {
                yield return chunk;
            }
        }

        // The streamed turns put together: calls and results go into the history, the final answer is the caller's.
        _ = AddIntermediateMessages(chatHistory, updates.ToChatResponse(), names);
    }
}
