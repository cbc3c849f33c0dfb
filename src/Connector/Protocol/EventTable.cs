namespace YuHuan.Connector.Protocol;

/// <summary>
/// A protocol's events: each event type's wire name (UTF-8) and the one handler that maps it, declared once. Looked up on
/// the UTF-8 bytes of the event type, with no string and no decoding to characters: the names are kept by length, and a
/// name is compared only with those of its length. An event type the table does not hold is skipped by the mapper, never a
/// failure. A protocol whose events have no type (Chat Completions: every event is a chunk) has an
/// <see cref="Untyped(StreamEventHandler{TMapper})"/> table instead, whose one handler maps every event.
/// </summary>
/// <typeparam name="TMapper">The protocol's mapper.</typeparam>
internal sealed class EventTable<TMapper>
{
    /// <summary>The longest event type a table holds, in UTF-8 bytes; longer types name no event of any protocol.</summary>
    public const int MaxNameLength = 64;

    private readonly StreamEvent<TMapper>[]?[] _byLength;

    /// <summary>Initializes the table of <paramref name="events"/>.</summary>
    /// <exception cref="ArgumentException">A name is empty, longer than <see cref="MaxNameLength"/>, or given twice.</exception>
    public EventTable(params ReadOnlySpan<StreamEvent<TMapper>> events)
    {
        var longest = 0;
        foreach (var e in events)
        {
            if (e.Name.Length is 0 or > MaxNameLength)
            {
                throw new ArgumentException($"An event name must hold 1 to {MaxNameLength} bytes.", nameof(events));
            }

            longest = Math.Max(longest, e.Name.Length);
        }

        _byLength = new StreamEvent<TMapper>[]?[longest + 1];
        foreach (var e in events)
        {
            if (Find(e.Name) is not null)
            {
                throw new ArgumentException($"The event '{System.Text.Encoding.UTF8.GetString(e.Name)}' is in the table twice.", nameof(events));
            }

            ref var bucket = ref _byLength[e.Name.Length];
            bucket = bucket is null ? [e] : [.. bucket, e];
        }
    }

    private EventTable(StreamEventHandler<TMapper> untyped)
    {
        _byLength = [];
        Each = untyped;
    }

    /// <summary>Gets the handler of every event, for a protocol whose events have no type; <see langword="null"/> for a table of named events.</summary>
    public StreamEventHandler<TMapper>? Each { get; }

    /// <summary>Creates the table of a protocol whose events have no type: <paramref name="each"/> maps every one.</summary>
    public static EventTable<TMapper> Untyped(StreamEventHandler<TMapper> each) => new(each);

    /// <summary>Finds the handler of the event type <paramref name="name"/> (UTF-8), or <see langword="null"/> for a type the table does not hold.</summary>
    public StreamEventHandler<TMapper>? Find(ReadOnlySpan<byte> name)
    {
        var byLength = _byLength;
        if ((uint)name.Length >= (uint)byLength.Length || byLength[name.Length] is not { } bucket)
        {
            return null;
        }

        foreach (var e in bucket)
        {
            if (name.SequenceEqual(e.Name))
            {
                return e.Handler;
            }
        }

        return null;
    }
}
