using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;

namespace YuHuan.Connector.ChatCompletions;

/// <summary>The Chat Completions protocol, <c>POST chat/completions</c>.</summary>
internal sealed class ChatCompletionsProtocol : ChatProtocolBase
{
    /// <summary>The protocol's name, as used in messages.</summary>
    internal const string DisplayName = "Chat Completions";

    private readonly bool _splitThinkTags;

    public ChatCompletionsProtocol(bool splitThinkTags) => _splitThinkTags = splitThinkTags;

    public override string Name => DisplayName;

    /// <summary>Functions, and hosted web search as the top-level <c>web_search_options</c>.</summary>
    public override bool Supports(AITool tool) => tool is AIFunctionDeclaration or HostedWebSearchTool;

    public override WireRequest CreateCall(ChatRequest request) =>
        WireRequest.Post("chat/completions", ChatCompletionsRequestWriter.Write(request), request);

    public override IStreamMapper CreateStreamMapper(ChatRequest request, WireRequest call) => new ChatCompletionsStreamMapper(_splitThinkTags, request.IncludeRawRepresentation);
}
