using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Protocol;

/// <summary>Maps one event of a kind the protocol names (an entry of its <see cref="EventTable{TMapper}"/>) onto an update.</summary>
/// <typeparam name="TMapper">The protocol's mapper, whose state the event changes.</typeparam>
/// <param name="mapper">The mapper of the response the event belongs to.</param>
/// <param name="payload">The event's data: trimmed, not empty.</param>
/// <returns>The update, or <see langword="null"/> when the event carries nothing for the caller (yet).</returns>
internal delegate ChatResponseUpdate? StreamEventHandler<in TMapper>(TMapper mapper, ReadOnlySpan<byte> payload);
