namespace YuHuan.Connector.Tests.Fuzz;

/// <summary>The ways <see cref="StreamMutator"/> damages a valid stream.</summary>
internal enum MutationKind
{
    /// <summary>A line is left out.</summary>
    DropLine,

    /// <summary>A whole event (its lines and the blank line after them) is left out.</summary>
    DropEvent,

    /// <summary>An event is sent twice.</summary>
    DuplicateEvent,

    /// <summary>Two events change places.</summary>
    SwapEvents,

    /// <summary>A line is cut short (its JSON is cut), its line ending kept.</summary>
    CutLine,

    /// <summary>Bytes that are not valid UTF-8 are put into a line.</summary>
    InvalidUtf8,

    /// <summary>A number is replaced by a huge, tiny or out-of-range one.</summary>
    HugeNumber,

    /// <summary>A JSON value is replaced by one of another type (or by deep nesting, or a long string).</summary>
    WrongType,

    /// <summary>A line of another kind is inserted: event types, ids, retry fields, comments, stray data.</summary>
    InsertLine,

    /// <summary>The body stops at an arbitrary byte.</summary>
    TruncateBody,

    /// <summary>A line break is put into the middle of a line.</summary>
    StrayLineBreak,
}
