namespace YuHuan.Connector.Testing;

/// <summary>The status a Responses response object reports, with what goes with it.</summary>
/// <param name="Status">The <c>status</c>: <c>queued</c>, <c>in_progress</c>, <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</param>
internal sealed record ResponsesStatus(string Status)
{
    /// <summary>Gets the status of a response still being generated.</summary>
    public static ResponsesStatus InProgress { get; } = new("in_progress");

    /// <summary>Gets the status of a response that ended normally.</summary>
    public static ResponsesStatus Completed { get; } = new("completed");

    /// <summary>Gets the error of a <c>failed</c> response, or <see langword="null"/>.</summary>
    public ReplyError? Error { get; init; }

    /// <summary>Gets the <c>incomplete_details.reason</c> of an <c>incomplete</c> response, or <see langword="null"/>.</summary>
    public string? IncompleteReason { get; init; }
}
