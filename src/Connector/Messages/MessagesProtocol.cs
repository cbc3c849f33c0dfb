using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;

namespace YuHuan.Connector.Messages;

/// <summary>The Anthropic Messages protocol, <c>POST messages</c>.</summary>
internal sealed class MessagesProtocol : ChatProtocolBase
{
    /// <summary>The protocol's name, as used in messages.</summary>
    internal const string DisplayName = "Messages";

    /// <summary>The API version every request names.</summary>
    internal const string ApiVersion = "2023-06-01";

    /// <summary>The header that turns on beta features; the request writer names the features a hosted tool needs.</summary>
    internal const string BetaHeader = "anthropic-beta";

    /// <summary>Anthropic's own header for the key.</summary>
    private const string KeyHeader = "x-api-key";

    /// <summary>The header that names the API version.</summary>
    private const string VersionHeader = "anthropic-version";

    private readonly bool _useThinkingBudget;

    /// <summary>Initializes the protocol.</summary>
    /// <param name="useThinkingBudget">Whether an effort maps to budgeted thinking (<see cref="YuHuanChatClientOptions.UseThinkingBudget"/>).</param>
    public MessagesProtocol(bool useThinkingBudget) => _useThinkingBudget = useThinkingBudget;

    public override string Name => DisplayName;

    /// <summary>Functions, hosted web search, code execution and MCP servers.</summary>
    public override bool Supports(AITool tool) => tool is AIFunctionDeclaration or HostedWebSearchTool or HostedCodeInterpreterTool or HostedMcpServerTool;

    public override WireRequest CreateCall(ChatRequest request)
    {
        var body = MessagesRequestWriter.Write(request, _useThinkingBudget, out var betas);
        List<WireHeader> headers = [new(VersionHeader, ApiVersion)];
        foreach (var beta in betas ?? [])
        {
            headers.Add(new(BetaHeader, beta, Appended: true));
        }

        return WireRequest.Post("messages", body, request, headers);
    }

    /// <summary>Gets Anthropic's own key header and the bearer form.</summary>
    public override IReadOnlyList<string> KeyHeaders { get; } = [KeyHeader, "Authorization"];

    public override void ApplyKey(HttpRequestHeaders headers, string apiKey, bool keyOnlyInAuthorization)
    {
        // Anthropic's own header, and the bearer form that gateways in front of it accept as well. An HttpClient that may
        // follow a redirect would carry x-api-key to wherever it leads: then only the bearer form goes.
        if (!keyOnlyInAuthorization)
        {
            headers.TryAddWithoutValidation(KeyHeader, apiKey);
        }

        base.ApplyKey(headers, apiKey, keyOnlyInAuthorization);
    }

    public override IStreamMapper CreateStreamMapper(ChatRequest request, WireRequest call) => new MessagesStreamMapper(request.IncludeRawRepresentation);
}
