using Microsoft.Extensions.AI;

namespace YuHuan.Connector.Tests.Reliability;

/// <summary>What a call produced: the updates yielded before it ended, and the exception it ended with, if any.</summary>
/// <param name="Updates">The updates, in order (for a non-streaming call, those of its response).</param>
/// <param name="Error">The exception, or <see langword="null"/> when the call succeeded.</param>
/// <param name="Elapsed">How long the call took.</param>
public sealed record StreamOutcome(IReadOnlyList<ChatResponseUpdate> Updates, Exception? Error, TimeSpan Elapsed)
{
    /// <summary>Gets the text of all updates.</summary>
    public string Text => string.Concat(Updates.Select(u => u.Text));

    /// <summary>Gets the exception as a <see cref="YuHuanApiException"/>, failing the test when it is anything else.</summary>
    public YuHuanApiException ApiError => Assert.IsType<YuHuanApiException>(Error);
}
