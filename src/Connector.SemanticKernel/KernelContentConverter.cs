using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using AIFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using AIFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using AITextContent = Microsoft.Extensions.AI.TextContent;
using KernelBinaryContent = Microsoft.SemanticKernel.BinaryContent;
using KernelFunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using KernelFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;
using KernelTextContent = Microsoft.SemanticKernel.TextContent;

// Semantic Kernel 1.82 still marks its reasoning items (SKEXP0110) and binary/audio items (SKEXP0001) as
// experimental; converting to and from them is the point of this type.
#pragma warning disable SKEXP0001, SKEXP0110

namespace YuHuan.Connector.SemanticKernel;

/// <summary>
/// Converts between Semantic Kernel's content types and Microsoft.Extensions.AI's, keeping what Semantic Kernel's
/// generic conversion drops: reasoning, function results in streams, usage and finish reasons.
/// </summary>
internal static class KernelContentConverter
{
    /// <summary>The metadata key under which usage is reported, as Semantic Kernel's OpenAI connector does.</summary>
    public const string UsageKey = "Usage";

    /// <summary>The metadata key under which the finish reason (such as <c>stop</c> or <c>tool_calls</c>) is reported.</summary>
    public const string FinishReasonKey = "FinishReason";

    private static readonly JsonSerializerOptions ArgumentsJson = AIJsonUtilities.DefaultOptions;

    /// <summary>Converts a chat history into the messages of a request.</summary>
    public static List<ChatMessage> ToChatMessages(ChatHistory chatHistory)
    {
        var messages = new List<ChatMessage>(chatHistory.Count);
        foreach (var content in chatHistory)
        {
            messages.Add(ToChatMessage(content));
        }

        return messages;
    }

    /// <summary>
    /// Converts one history message, including reasoning and plugin-qualified function call names, and rebuilds from
    /// the items' metadata what the next request needs of the contents they were made from (see <see cref="KernelContentState"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Metadata this connector keeps holds something it did not store.</exception>
    public static ChatMessage ToChatMessage(ChatMessageContent content)
    {
        var message = new ChatMessage
        {
            Role = new ChatRole(content.Role.Label),
            AuthorName = content.AuthorName,
            RawRepresentation = content.InnerContent,
            AdditionalProperties = MessageProperties(content.Metadata),
        };

        foreach (var item in content.Items)
        {
            KernelContentState.AddKept(item.Metadata, KernelContentState.PrecedingKey, message.Contents);
            AIContent? converted = item switch
            {
                KernelTextContent text => KernelContentState.Restore<AITextContent>(text.Metadata) is { } kept && kept.Text == text.Text
                    ? kept
                    : new AITextContent(text.Text),
                ReasoningContent reasoning => KernelContentState.Restore<TextReasoningContent>(reasoning.Metadata) is { } kept && kept.Text == reasoning.Text
                    ? kept
                    : new TextReasoningContent(reasoning.Text),
                KernelBinaryContent binary => ToDataOrUri(binary),
                KernelFunctionCallContent call => KernelContentState.Carry(
                    KernelContentState.Restore<AIFunctionCallContent>(call.Metadata),
                    new AIFunctionCallContent(call.Id ?? string.Empty, FunctionNameResolver.ToToolName(call.PluginName, call.FunctionName), call.Arguments)),
                KernelFunctionResultContent result => KernelContentState.Carry(
                    KernelContentState.Restore<AIFunctionResultContent>(result.Metadata),
                    new AIFunctionResultContent(result.CallId ?? string.Empty, result.Result)),
                _ => null,
            };

            if (converted is not null)
            {
                message.Contents.Add(converted);
            }
        }

        KernelContentState.AddKept(content.Metadata, KernelContentState.TrailingKey, message.Contents);
        return message;
    }

    /// <summary>
    /// Converts one message of a response; the response's usage and finish reason go in its metadata when asked. What
    /// the next request needs beyond Semantic Kernel's members, and contents Semantic Kernel has no type for, go in
    /// the metadata of the items and the message (see <see cref="KernelContentState"/>).
    /// </summary>
    public static ChatMessageContent ToChatMessageContent(ChatMessage message, ChatResponse response, FunctionNameResolver names, bool withResponseMetadata)
    {
        var result = new ChatMessageContent
        {
            Role = new AuthorRole(message.Role.Value),
            AuthorName = message.AuthorName,
            ModelId = response.ModelId,
            InnerContent = message.RawRepresentation ?? response.RawRepresentation,
        };

        List<AIContent>? kept = null;
        foreach (var content in message.Contents)
        {
            KernelContent? converted = content switch
            {
                AITextContent text => new KernelTextContent(text.Text) { InnerContent = text.RawRepresentation },
                TextReasoningContent reasoning => new ReasoningContent(reasoning.Text) { InnerContent = reasoning },
                AIFunctionCallContent call => ToKernelCall(call, names),
                AIFunctionResultContent functionResult => ToKernelResult(functionResult, names),
                _ => null,
            };

            if (converted is null)
            {
                (kept ??= []).Add(content);
                continue;
            }

            converted.ModelId = response.ModelId;
            converted.Metadata = KernelContentState.Describe(content, kept);
            kept = null;
            result.Items.Add(converted);
        }

        var metadata = withResponseMetadata
            ? WithResponseMetadata(message.AdditionalProperties, response.Usage, response.FinishReason)
            : message.AdditionalProperties;
        if (kept is not null)
        {
            metadata = new Dictionary<string, object?>(metadata ?? new Dictionary<string, object?>())
            {
                [KernelContentState.TrailingKey] = KernelContentState.ToJson(kept),
            };
        }

        result.Metadata = metadata;
        return result;
    }

    /// <summary>
    /// Converts one streamed update. Text, reasoning and function calls become items of one message chunk, usage
    /// and the finish reason its metadata; each function result becomes a tool-role chunk of its own whose
    /// <see cref="KernelContent.InnerContent"/> is a <see cref="KernelFunctionResultContent"/> (Semantic Kernel has
    /// no streaming result item, and a text item would be printed as if the model had said it).
    /// </summary>
    public static IEnumerable<StreamingChatMessageContent> ToStreamingChatMessageContents(ChatResponseUpdate update, FunctionNameResolver names, ref int functionCallIndex)
    {
        var chunk = new StreamingChatMessageContent(update.Role is { } role ? new AuthorRole(role.Value) : null, content: null)
        {
            AuthorName = update.AuthorName,
            ModelId = update.ModelId,
            InnerContent = update.RawRepresentation,
        };

        List<StreamingChatMessageContent>? results = null;
        UsageDetails? usage = null;
        foreach (var content in update.Contents)
        {
            StreamingKernelContent? item = null;
            switch (content)
            {
                case AITextContent text:
                    item = new StreamingTextContent(text.Text) { InnerContent = text.RawRepresentation };
                    break;

                case TextReasoningContent reasoning:
                    item = new StreamingReasoningContent(reasoning.Text) { InnerContent = reasoning };
                    break;

                case AIFunctionCallContent call:
                    var (pluginName, functionName) = names.Resolve(call);
                    item = new StreamingFunctionCallUpdateContent(
                        call.CallId,
                        FunctionNameResolver.ToStreamingName(pluginName, functionName),
                        ArgumentsText(call),
                        functionCallIndex++)
                    {
                        InnerContent = call.RawRepresentation,
                    };
                    break;

                case AIFunctionResultContent result:
                    (results ??= []).Add(new StreamingChatMessageContent(AuthorRole.Tool, content: null)
                    {
                        ModelId = update.ModelId,
                        InnerContent = ToKernelResult(result, names),
                        Metadata = update.AdditionalProperties,
                    });
                    break;

                case UsageContent usageContent:
                    usage = usageContent.Details;
                    break;
            }

            if (item is not null)
            {
                item.ModelId = update.ModelId;
                item.Metadata = KernelContentState.Describe(content, preceding: null);
                chunk.Items.Add(item);
            }
        }

        chunk.Metadata = WithResponseMetadata(update.AdditionalProperties, usage, update.FinishReason);
        if (results is null)
        {
            return [chunk];
        }

        if (chunk.Items.Count > 0 || usage is not null)
        {
            results.Insert(0, chunk);
        }

        return results;
    }

    private static KernelFunctionCallContent ToKernelCall(AIFunctionCallContent call, FunctionNameResolver names)
    {
        var (pluginName, functionName) = names.Resolve(call);
        return new KernelFunctionCallContent(
            functionName,
            pluginName,
            call.CallId,
            call.Arguments is null ? null : new KernelArguments(call.Arguments))
        {
            Exception = call.Exception,
            InnerContent = call.RawRepresentation,
        };
    }

    private static KernelFunctionResultContent ToKernelResult(AIFunctionResultContent result, FunctionNameResolver names)
    {
        var (pluginName, functionName) = names.ForCall(result.CallId);
        return new KernelFunctionResultContent(functionName, pluginName, result.CallId, result.Result)
        {
            InnerContent = result.RawRepresentation,
        };
    }

    private static string? ArgumentsText(AIFunctionCallContent call) =>
        call.Arguments is { } arguments
            ? JsonSerializer.Serialize(arguments, ArgumentsJson.GetTypeInfo(typeof(IDictionary<string, object?>)))
            : call.RawRepresentation as string;

    private static AIContent? ToDataOrUri(KernelBinaryContent binary)
    {
        var fallbackMediaType = binary switch
        {
            ImageContent => "image/*",
            AudioContent => "audio/*",
            _ => "application/octet-stream",
        };

        return binary.DataUri is { } dataUri ? new DataContent(dataUri, binary.MimeType)
            : binary.Uri is { } uri ? new UriContent(uri, binary.MimeType ?? fallbackMediaType)
            : null;
    }

    /// <summary>
    /// Returns a message's metadata as the additional properties of the message it came from: everything but the usage
    /// and finish reason this converter reports and the contents it keeps there.
    /// </summary>
    private static AdditionalPropertiesDictionary? MessageProperties(IReadOnlyDictionary<string, object?>? metadata)
    {
        AdditionalPropertiesDictionary? properties = null;
        foreach (var (key, value) in metadata ?? new Dictionary<string, object?>())
        {
            if (key is not (UsageKey or FinishReasonKey or KernelContentState.TrailingKey))
            {
                (properties ??= [])[key] = value;
            }
        }

        return properties;
    }

    private static IReadOnlyDictionary<string, object?>? WithResponseMetadata(AdditionalPropertiesDictionary? properties, UsageDetails? usage, ChatFinishReason? finishReason)
    {
        if (usage is null && finishReason is null)
        {
            return properties;
        }

        var metadata = properties is null ? new Dictionary<string, object?>(2) : new Dictionary<string, object?>(properties);
        if (usage is not null)
        {
            metadata[UsageKey] = usage;
        }

        if (finishReason is { } reason)
        {
            metadata[FinishReasonKey] = reason.Value;
        }

        return metadata;
    }
}
