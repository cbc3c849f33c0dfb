using Microsoft.Extensions.AI;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions;

/// <summary>Inline <c>&lt;think&gt;</c> reasoning split out when <see cref="YuHuanChatClientOptions.SplitThinkTags"/> is on.</summary>
public sealed class ThinkTagTests
{
    public static TheoryData<string[]> Splits => new()
    {
        { ["<think>plan it</think>Answer."] },
        { ["<thi", "nk>plan", " it</th", "ink>Ans", "wer."] },
        { ["<", "t", "h", "i", "n", "k", ">", "plan it", "<", "/", "think", ">", "Answer", "."] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public async Task GetStreamingResponseAsync_ThinkTagsAnywhereInThePieces_SplitIntoReasoningAndText(string[] pieces)
    {
        var events = pieces.Select(p => ChatCompletionsSse.Chunk("{\"content\":" + System.Text.Json.JsonSerializer.Serialize(p) + "}")).Append(ChatCompletionsSse.Chunk("{}", "stop")).Append("[DONE]").ToArray();
        using var client = new ReplayHandler(Sse.Stream("\n", events)).CreateClient(o => o.SplitThinkTags = true);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("plan it", string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("Answer.", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Off_LeavesTagsInTheText()
    {
        using var client = new ReplayHandler(Sse.Stream("\n", ChatCompletionsSse.Chunk("""{"content":"<think>x</think>y"}"""), ChatCompletionsSse.Chunk("{}", "stop"), "[DONE]")).CreateClient();

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            text += update.Text;
        }

        Assert.Equal("<think>x</think>y", text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TextEndingInWhatLooksLikeATagStart_IsNotLost()
    {
        using var client = new ReplayHandler(Sse.Stream("\n", ChatCompletionsSse.Chunk("""{"content":"a < b and <th"}"""), ChatCompletionsSse.Chunk("{}", "stop"), "[DONE]")).CreateClient(o => o.SplitThinkTags = true);

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            text += update.Text;
        }

        Assert.Equal("a < b and <th", text);
    }
}
