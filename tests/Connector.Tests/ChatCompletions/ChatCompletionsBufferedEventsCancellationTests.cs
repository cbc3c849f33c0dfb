using System.Text;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Events the client has read ahead in one buffer are not handed out after the caller cancelled.</summary>
public sealed class ChatCompletionsBufferedEventsCancellationTests
{
    [Fact]
    public async Task GetStreamingResponseAsync_CancelledWithEventsBuffered_ThrowsAtTheNextUpdate()
    {
        // Fifty text chunks arrive in one read: after the cancellation none of the remaining ones is yielded.
        var chunks = Enumerable.Range(0, 50).Select(i => ChatCompletionsSse.Chunk($$"""{"content":"piece {{i}} "}""")).Append("[DONE]").ToArray();
        var handler = new ReplayHandler(Sse.Stream("\n", chunks));
        using var client = handler.CreateClient();
        using var cancellation = new CancellationTokenSource();
        var text = new StringBuilder();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cancellation.Token))
            {
                text.Append(update.Text);
                if (text.Length > 0)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal("piece 0 ", text.ToString());
        Assert.Equal(cancellation.Token, error.CancellationToken);
    }
}
