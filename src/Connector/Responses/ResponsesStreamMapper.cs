using Microsoft.Extensions.AI;
using YuHuan.Connector.Http;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Responses;

/// <summary>Maps an OpenAI Responses stream (or one complete <c>response</c> object) onto updates.</summary>
internal sealed class ResponsesStreamMapper : StreamMapperBase
{
    private const string Name = "Responses";

    /// <summary>Initializes the mapper of one response.</summary>
    /// <param name="stored">Whether the request lets the server store the response (then the terminal event's id becomes <see cref="ChatResponseUpdate.ConversationId"/>).</param>
    /// <param name="background">Whether the response runs in the background (then updates carry a <see cref="ChatResponseUpdate.ContinuationToken"/>).</param>
    /// <param name="resumed">The token a resumed or polled response continues from, or <see langword="null"/>.</param>
    public ResponsesStreamMapper(bool stored, bool background, ResponsesContinuationToken? resumed)
        : base(Name)
    {
    }

    /// <inheritdoc />
    public override ChatResponseUpdate? OnEndOfStream() =>
        IsCompleted ? null : throw ClientErrors.IncompleteStream(Name, "response.completed");

    /// <inheritdoc />
    public override void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates) => throw new NotSupportedException("Being written.");

    /// <inheritdoc />
    protected override ChatResponseUpdate? OnPayload(string eventType, ReadOnlySpan<byte> payload) => null;
}
