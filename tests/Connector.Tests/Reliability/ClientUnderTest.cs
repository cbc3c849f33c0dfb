using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>
/// A client a fault case runs over either kind of <see cref="HttpClient"/>: one the test watches
/// (<see cref="TrackedClient"/>), or one the client makes and owns itself, as an application would.
/// </summary>
internal sealed class ClientUnderTest(TrackedClient? tracked, YuHuanChatClient? owning) : IDisposable
{
    /// <summary>Gets the client over a watched <see cref="HttpClient"/>, or <see langword="null"/> for one that owns its own.</summary>
    public TrackedClient? Tracked => tracked;

    /// <summary>Gets the client that owns its <see cref="HttpClient"/>, or <see langword="null"/> for one over a watched one.</summary>
    public YuHuanChatClient? Owning => owning;

    /// <summary>Gets the client to call.</summary>
    public IChatClient Client => tracked?.Client ?? (IChatClient)owning!;

    /// <inheritdoc />
    public void Dispose()
    {
        tracked?.Dispose();
        owning?.Dispose();
    }
}
