namespace YuHuan.Connector.Protocol;

/// <summary>One entry of a protocol's <see cref="EventTable{TMapper}"/>: an event's wire name and the handler that maps it.</summary>
/// <typeparam name="TMapper">The protocol's mapper.</typeparam>
internal sealed class StreamEvent<TMapper>
{
    /// <summary>Initializes an entry.</summary>
    /// <param name="name">The event's type as it is on the wire (UTF-8), such as <c>"response.output_text.delta"u8</c>.</param>
    /// <param name="handler">What maps the event.</param>
    public StreamEvent(ReadOnlySpan<byte> name, StreamEventHandler<TMapper> handler)
    {
        Name = name.ToArray();
        Handler = handler;
    }

    /// <summary>Gets the event's type as it is on the wire (UTF-8).</summary>
    public byte[] Name { get; }

    /// <summary>Gets what maps the event.</summary>
    public StreamEventHandler<TMapper> Handler { get; }
}
