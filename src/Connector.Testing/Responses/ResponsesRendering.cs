namespace YuHuan.Connector.Testing;

/// <summary>
/// Everything the emulator sends or keeps of one Responses response, rendered once so every view of it carries the
/// same ids: the complete event stream, the part of it a live stream delivers, and the response object in each state.
/// </summary>
/// <param name="ResponseId">The response id.</param>
/// <param name="Request">The request fields that decided how the response was rendered and whether it is kept.</param>
/// <param name="Events">Every event of the stream, terminal event included even when the reply is truncated; the
/// event at index <c>i</c> has <c>sequence_number</c> <c>i</c>.</param>
/// <param name="LiveCount">How many of <see cref="Events"/> a live stream sends: all of them, or all but the terminal event
/// of a truncated reply.</param>
/// <param name="Final">The response object of the terminal event (<c>completed</c>, <c>incomplete</c> or <c>failed</c>).</param>
/// <param name="Queued">The response object with <c>status: "queued"</c>, no output and no usage.</param>
/// <param name="InProgress">The response object with <c>status: "in_progress"</c>, no output and no usage.</param>
internal sealed record ResponsesRendering(
    string ResponseId,
    ResponsesRequestFields Request,
    IReadOnlyList<SseEvent> Events,
    int LiveCount,
    byte[] Final,
    byte[] Queued,
    byte[] InProgress)
{
    /// <summary>Gets the events a live stream sends.</summary>
    public IEnumerable<SseEvent> Live => Events.Take(LiveCount);
}
