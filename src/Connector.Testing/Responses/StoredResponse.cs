namespace YuHuan.Connector.Testing;

/// <summary>A Responses response the emulator keeps: its rendering, and how many polls still answer <c>in_progress</c>.</summary>
internal sealed class StoredResponse
{
    private int _pollsLeft;

    public StoredResponse(ResponsesRendering rendering, int pollsBeforeCompletion)
    {
        Rendering = rendering;
        _pollsLeft = pollsBeforeCompletion;
    }

    /// <summary>Gets everything rendered of the response.</summary>
    public ResponsesRendering Rendering { get; }

    /// <summary>Counts one poll; returns <see langword="true"/> while the script says it still answers <c>in_progress</c>.</summary>
    public bool TakeInProgressPoll() => Interlocked.Decrement(ref _pollsLeft) >= 0;
}
