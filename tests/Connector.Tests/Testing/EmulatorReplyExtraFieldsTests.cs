using System.Text.Json;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.Testing;

/// <summary><see cref="EmulatorReply.WithExtraFields"/>: fields a client may not know, written into a part's block or item.</summary>
public sealed class EmulatorReplyExtraFieldsTests
{
    private const string Caller = """{"caller":{"type":"direct"}}""";

    [Fact]
    public void WithExtraFields_WithoutAReasoningTextOrToolCallPartBefore_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new EmulatorReply().WithExtraFields(Caller));
        Assert.Throws<InvalidOperationException>(() => new EmulatorReply().AddRedactedReasoning("d").WithExtraFields(Caller));
        Assert.Throws<ArgumentException>(() => new EmulatorReply().AddText("x").WithExtraFields("[1]"));
    }

    [Fact]
    public void Messages_ExtraFieldsOfAToolCall_InTheBlockStartAndTheCompleteBlock()
    {
        var reply = new EmulatorReply().AddToolCall("toolu_1", "f", "{}").WithExtraFields(Caller);

        var start = RenderedEvent.Parse(MessagesWireFormat.Instance.RenderBody(reply))
            .Single(e => e.Json.GetProperty("type").GetString() == "content_block_start")
            .Json.GetProperty("content_block");
        var block = JsonDocument.Parse(MessagesWireFormat.Instance.RenderCompletion(reply)).RootElement.GetProperty("content")[0];

        JsonAssert.Equal("""{"type":"direct"}""", start.GetProperty("caller"));
        JsonAssert.Equal("""{"type":"direct"}""", block.GetProperty("caller"));
    }

    [Fact]
    public void Responses_ExtraFieldsOfText_InTheMessageItemAddedDoneAndOutput()
    {
        var reply = new EmulatorReply().AddText("x").WithExtraFields("""{"lang":"en"}""");

        var items = RenderedEvent.Parse(ResponsesWireFormat.Instance.RenderBody(reply))
            .Where(e => e.Json.GetProperty("type").GetString() is "response.output_item.added" or "response.output_item.done")
            .Select(e => e.Json.GetProperty("item"))
            .ToList();
        var output = JsonDocument.Parse(ResponsesWireFormat.Instance.RenderCompletion(reply)).RootElement.GetProperty("output")[0];

        Assert.Equal(2, items.Count);
        Assert.All(items.Append(output), item => Assert.Equal("en", item.GetProperty("lang").GetString()));
    }

    [Fact]
    public void ChatCompletions_ExtraFieldsOfAToolCall_InItsFirstDeltaAndTheCompleteEntryOnly()
    {
        var reply = new EmulatorReply().AddToolCall("call_1", "f", """{"a":1}""", fragments: 2).WithExtraFields(Caller);

        var calls = RenderedEvent.Parse(ChatCompletionsWireFormat.Instance.RenderBody(reply))
            .Where(e => e.Data != "[DONE]" && e.Json.GetProperty("choices").GetArrayLength() > 0)
            .Select(e => e.Json.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out _))
            .Select(d => d.GetProperty("tool_calls")[0])
            .ToList();
        var entry = JsonDocument.Parse(ChatCompletionsWireFormat.Instance.RenderCompletion(reply)).RootElement
            .GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];

        Assert.True(calls.Count > 1);
        Assert.Equal([true, .. Enumerable.Repeat(false, calls.Count - 1)], calls.Select(c => c.TryGetProperty("caller", out _)));
        JsonAssert.Equal("""{"type":"direct"}""", entry.GetProperty("caller"));
    }
}
