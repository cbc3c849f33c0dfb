using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Shared;

namespace YuHuan.Connector.Tests.Shared;

/// <summary>The state every protocol's stream mapper keeps, read with the names of a made-up protocol.</summary>
public sealed class ResponseStateTests
{
    /// <summary>A protocol's usage names, none of them any real protocol's: the reader goes by the names it is given.</summary>
    private static readonly UsageFields Vocabulary = new("in", "out", Total: null, "cached_in", Reasoning: null);

    [Fact]
    public void MergeUsage_LaterCountsReplaceOnlyWhatTheyHold()
    {
        var state = new ResponseState(Vocabulary);
        Merge(state, """{"in":40,"cached_in":10,"out":1}""");
        Merge(state, """{"out":25}""");

        List<AIContent>? contents = null;
        state.TakeUsage(ref contents);
        var usage = Assert.IsType<UsageContent>(Assert.Single(contents!)).Details;
        Assert.Equal(40, usage.InputTokenCount);
        Assert.Equal(10, usage.CachedInputTokenCount);
        Assert.Equal(25, usage.OutputTokenCount);
        Assert.Equal(65, usage.TotalTokenCount);

        contents = null;
        state.TakeUsage(ref contents);
        Assert.Null(contents);
    }

    [Fact]
    public void Ids_FirstNonEmptyValueKept_OnEveryUpdate()
    {
        var state = new ResponseState(Vocabulary);
        Read(state, "\"\"", static (s, ref r) => s.ReadResponseId(ref r));
        Read(state, "\"id-1\"", static (s, ref r) => s.ReadResponseId(ref r));
        Read(state, "\"id-2\"", static (s, ref r) => s.ReadResponseId(ref r));
        Read(state, "\"model-a\"", static (s, ref r) => s.ReadModelId(ref r));
        Read(state, "1700000000", static (s, ref r) => s.ReadCreatedAt(ref r));
        Read(state, "1800000000", static (s, ref r) => s.ReadCreatedAt(ref r));

        var update = state.NewUpdate(null, ChatFinishReason.Stop);
        Assert.Equal("id-1", update.ResponseId);
        Assert.Equal("id-1", update.MessageId);
        Assert.Equal("model-a", update.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), update.CreatedAt);
        Assert.Equal(ChatRole.Assistant, update.Role);

        state.MessageId = "item_7";
        Assert.Equal("item_7", state.NewUpdate(null).MessageId);
    }

    [Fact]
    public void JoinText_SurrogateSplitAcrossPieces_IsJoined_AndAStrayHalfFlushesAsReplacement()
    {
        var state = new ResponseState(Vocabulary);
        Assert.Equal("a", state.JoinText("a\uD83D"));
        Assert.Equal("\uD83D\uDE00b", state.JoinText("\uDE00b"));
        Assert.Null(state.JoinReasoning("\uD83D"));

        List<AIContent>? contents = null;
        state.FlushHeld(ref contents);
        Assert.Equal("\uFFFD", Assert.IsType<TextReasoningContent>(Assert.Single(contents!)).Text);
    }

    private delegate void ReaderAction(ResponseState state, ref Utf8JsonReader reader);

    private static void Merge(ResponseState state, string json) => Read(state, json, static (s, ref r) => s.MergeUsage(ref r));

    private static void Read(ResponseState state, string json, ReaderAction action)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        reader.Read();
        action(state, ref reader);
    }
}
