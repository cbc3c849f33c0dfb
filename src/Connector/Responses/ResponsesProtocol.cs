using System.Globalization;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>The OpenAI Responses protocol, <c>POST responses</c>, with background responses resumed by <c>GET responses/{id}</c>.</summary>
internal sealed class ResponsesProtocol : ChatProtocolBase, IContinuingProtocol
{
    /// <summary>The protocol's name, as used in messages.</summary>
    internal const string DisplayName = "Responses";

    private const string Route = "responses";

    public override string Name => DisplayName;

    /// <summary>Functions and every hosted tool of Microsoft.Extensions.AI: web search, code interpreter, MCP servers, file search, image generation.</summary>
    public override bool Supports(AITool tool) =>
        tool is AIFunctionDeclaration or HostedWebSearchTool or HostedCodeInterpreterTool or HostedMcpServerTool or HostedFileSearchTool
        || HostedTools.IsImageGeneration(tool);

    public override WireRequest CreateCall(ChatRequest request)
    {
        var body = ResponsesRequestWriter.Write(request, out var stored);
        return WireRequest.Post(Route, body, request, state: stored);
    }

    public WireRequest CreateContinuation(ResponseContinuationToken token, string? model, bool stream)
    {
        var continuation = ResponsesContinuationToken.From(token);
        var path = Route + "/" + Uri.EscapeDataString(continuation.ResponseId);
        if (stream)
        {
            path += continuation.SequenceNumber is { } after
                ? "?stream=true&starting_after=" + after.ToString(CultureInfo.InvariantCulture)
                : "?stream=true";
        }

        return WireRequest.Get(path, stream, model);
    }

    public override IStreamMapper CreateStreamMapper(ChatRequest request, WireRequest call) => new ResponsesStreamMapper(
        stored: call.State is not false,
        background: request.Options?.AllowBackgroundResponses == true || request.Options?.ContinuationToken is not null,
        resumed: request.Options?.ContinuationToken is { } token ? ResponsesContinuationToken.From(token) : null,
        conversation: request.Options?.ConversationId is { } id && id.StartsWith(ResponsesRequestWriter.ConversationPrefix, StringComparison.Ordinal) ? id : null,
        includeRawRepresentation: request.IncludeRawRepresentation);
}
