using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Protocol;

/// <summary>
/// What every protocol's mapper does around an event: nothing after the terminal event, no work for an empty payload,
/// and a payload that cannot be read (not JSON, a field of the wrong type) reported as <c>invalid_response</c>.
/// </summary>
internal abstract class StreamMapperBase : IStreamMapper
{
    /// <summary>Initializes the mapper of the protocol named <paramref name="protocol"/> (as used in messages).</summary>
    protected StreamMapperBase(string protocol) => Protocol = protocol;

    /// <inheritdoc />
    public bool IsCompleted { get; protected set; }

    /// <summary>Gets the protocol's name, as used in messages.</summary>
    protected string Protocol { get; }

    /// <inheritdoc />
    public ChatResponseUpdate? OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
        if (IsCompleted)
        {
            return null;
        }

        var payload = EventPayload.Of(data);
        if (payload.IsEmpty)
        {
            return null;
        }

        try
        {
            return OnPayload(eventType, payload);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw ClientErrors.Unreadable(Protocol, ex);
        }
    }

    /// <inheritdoc />
    public abstract ChatResponseUpdate? OnEndOfStream();

    /// <inheritdoc />
    public abstract void ReadResponse(ReadOnlySpan<byte> json, IList<ChatResponseUpdate> updates);

    /// <summary>Maps one event's payload (trimmed, not empty), before the terminal event.</summary>
    /// <param name="eventType">The UTF-8 value of the event's <c>event:</c> field; empty when it has none.</param>
    /// <param name="payload">The event's data.</param>
    /// <exception cref="JsonException">The payload is not valid JSON.</exception>
    /// <exception cref="InvalidOperationException">A field has the wrong type.</exception>
    /// <exception cref="YuHuanApiException">The event is an error or breaks the protocol.</exception>
    protected abstract ChatResponseUpdate? OnPayload(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload);
}
