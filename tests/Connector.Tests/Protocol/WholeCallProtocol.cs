using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Protocol;

namespace YuHuan.Connector.Tests.Protocol;

/// <summary>
/// A made-up protocol of the kind the call-as-one-value shape exists for: its path names the model, a query string chooses
/// streaming, its version header is a default the caller may replace, its feature header a list the caller may extend,
/// its key travels in a header of its own, and its error bodies have a shape of their own.
/// </summary>
internal sealed class WholeCallProtocol : ChatProtocolBase
{
    public override string Name => "Whole Call";

    public override WireRequest CreateCall(ChatRequest request) => new(
        HttpMethod.Post,
        "models/" + Uri.EscapeDataString(request.Model!) + ":chat" + (request.Stream ? "?alt=sse" : string.Empty),
        Encoding.UTF8.GetBytes("{\"q\":\"hi\"}"),
        request.Stream,
        request.Model,
        [new("x-whole-version", "1"), new("x-whole-features", "tools", Appended: true)]);

    public override void ApplyKey(System.Net.Http.Headers.HttpRequestHeaders headers, string apiKey, bool keyOnlyInAuthorization) =>
        headers.TryAddWithoutValidation("x-whole-key", apiKey);

    /// <summary>Reads <c>message|type</c>.</summary>
    public override ErrorBody ReadHttpError(ReadOnlySpan<byte> body) =>
        Encoding.UTF8.GetString(body).Split('|') is [var message, var type] ? new(message, type, null) : default;

    public override IStreamMapper CreateStreamMapper(ChatRequest request, WireRequest call) => throw new NotSupportedException();
}
