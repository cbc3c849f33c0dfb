using System.Net.Http.Headers;
using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// What most protocols share: the key as <c>Authorization: Bearer</c>, error bodies read as
/// <c>{"error":{"message","type","code"}}</c> (nested or not), and functions as the one tool every protocol carries.
/// A protocol overrides what differs.
/// </summary>
internal abstract class ChatProtocolBase : IChatProtocol
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual bool Supports(AITool tool) => tool is AIFunctionDeclaration;

    /// <inheritdoc />
    public abstract WireRequest CreateCall(ChatRequest request);

    /// <inheritdoc />
    public virtual IReadOnlyList<string> KeyHeaders { get; } = ["Authorization"];

    /// <inheritdoc />
    public virtual void ApplyKey(HttpRequestHeaders headers, string apiKey, bool keyOnlyInAuthorization) =>
        headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

    /// <inheritdoc />
    public virtual ErrorBody ReadHttpError(ReadOnlySpan<byte> body)
    {
        var (message, type, code) = ErrorObjects.ReadBody(body);
        return new ErrorBody(message, type, code);
    }

    /// <inheritdoc />
    public abstract IStreamMapper CreateStreamMapper(ChatRequest request, WireRequest call);
}
