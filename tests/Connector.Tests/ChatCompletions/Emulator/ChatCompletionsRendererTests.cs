using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YuHuan.Connector.Testing;
using YuHuan.Connector.Tests.Fuzz;
using YuHuan.Connector.Tests.TestSupport;

namespace YuHuan.Connector.Tests.ChatCompletions.Emulator;

/// <summary>The emulator's Chat Completions renderer, checked by the events and JSON it produces.</summary>
public sealed class ChatCompletionsRendererTests
{
    private static readonly WireFormat Wire = ChatCompletionsWireFormat.Instance;

    public static TheoryData<string?, string?> FinishReasons => new()
    {
        { "stop", "stop" },
        { "length", "length" },
        { "tool_calls", "tool_calls" },
        { "content_filter", "content_filter" },
        { "my_own_reason", "my_own_reason" },
        { null, null },
    };

    [Theory]
    [MemberData(nameof(FinishReasons))]
    public void FinishReason_EachFinishReason_MapsToItsWord(string? finishReason, string? expected)
    {
        var reply = new EmulatorReply().AddText("x").WithUsage(1, 1).WithFinishReason(finishReason is null ? null : new ChatFinishReason(finishReason));

        var streamed = RenderedEvent.Parse(Wire.RenderBody(reply))
            .Where(e => e.Data != "[DONE]" && e.Json.GetProperty("choices").GetArrayLength() > 0)
            .Select(e => e.Json.GetProperty("choices")[0].GetProperty("finish_reason"))
            .Where(f => f.ValueKind != JsonValueKind.Null)
            .Select(f => f.GetString())
            .ToList();
        var complete = JsonDocument.Parse(Wire.RenderCompletion(reply)).RootElement.GetProperty("choices")[0].GetProperty("finish_reason");

        Assert.Equal(expected is null ? [] : [expected], streamed);
        Assert.Equal(expected, complete.ValueKind == JsonValueKind.Null ? null : complete.GetString());
    }

    [Fact]
    public void FinishReason_NotScripted_IsToolCallsWithACallAndStopWithout()
    {
        string? FinishReason(EmulatorReply reply) => JsonDocument.Parse(Wire.RenderCompletion(reply)).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString();

        Assert.Equal("tool_calls", FinishReason(new EmulatorReply().AddToolCall("c", "f", "{}")));
        Assert.Equal("stop", FinishReason(new EmulatorReply().AddText("x")));
    }

    [Fact]
    public void RenderStream_ReasoningSignature_RidesOnTheLastReasoningPiece()
    {
        var reply = new EmulatorReply().AddReasoning("abcdef", chunkSize: 2, signature: "sig-1").AddRedactedReasoning("opaque==");

        var deltas = RenderedEvent.Parse(Wire.RenderBody(reply))
            .Where(e => e.Data != "[DONE]")
            .Select(e => e.Json.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0)
            .Select(c => c[0].GetProperty("delta"))
            .ToList();

        // Role chunk, three reasoning pieces, one redacted chunk (finish chunk has an empty delta).
        Assert.Equal("ab", deltas[1].GetProperty("reasoning_content").GetString());
        Assert.False(deltas[1].TryGetProperty("reasoning_details", out _));
        Assert.False(deltas[2].TryGetProperty("reasoning_details", out _));
        JsonAssert.Equal("""{"reasoning_content":"ef","reasoning_details":[{"type":"reasoning.text","text":"ef","signature":"sig-1"}]}""", deltas[3].GetRawText());
        JsonAssert.Equal("""{"reasoning_details":[{"type":"reasoning.encrypted","data":"opaque=="}]}""", deltas[4].GetRawText());
    }

    [Fact]
    public void RenderCompletion_SignedAndRedactedReasoning_ListsReasoningDetails()
    {
        var reply = new EmulatorReply()
            .WithId("chatcmpl-x")
            .AddReasoning("Think.", signature: "sig-1")
            .AddRedactedReasoning("opaque==")
            .AddText("Answer.")
            .WithUsage(inputTokens: 10, outputTokens: 4, cachedInputTokens: 3, reasoningTokens: 2, cacheCreationInputTokens: 5);

        JsonAssert.Equal(
            """
            {"id":"chatcmpl-x","object":"chat.completion","created":1700000000,"model":"fuzz-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Answer.","reasoning_content":"Think.",
               "reasoning_details":[{"type":"reasoning.text","text":"Think.","signature":"sig-1"},{"type":"reasoning.encrypted","data":"opaque=="}]},
               "finish_reason":"stop"}],
             "usage":{"prompt_tokens":10,"completion_tokens":4,"total_tokens":14,"prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":2}}}
            """,
            Wire.RenderCompletion(reply));
    }

    [Fact]
    public void RenderCompletion_UnsignedReasoning_HasNoReasoningDetails()
    {
        var message = JsonDocument.Parse(Wire.RenderCompletion(new EmulatorReply().AddReasoning("Think.").AddText("x")))
            .RootElement.GetProperty("choices")[0].GetProperty("message");

        Assert.Equal("Think.", message.GetProperty("reasoning_content").GetString());
        Assert.False(message.TryGetProperty("reasoning_details", out _));
    }

    [Fact]
    public void RenderStream_Padding_IsADataOnlyEventWithAPaddingField()
    {
        var events = RenderedEvent.Parse(Wire.RenderBody(new EmulatorReply().AddPadding(100)));

        var padding = Assert.Single(events, e => e.Data.Contains("padding", StringComparison.Ordinal));
        Assert.Equal("message", padding.Type);
        JsonAssert.Equal($$"""{"padding":"{{new string('x', 100)}}"}""", padding.Data);
    }

    [Fact]
    public void RenderStream_StreamError_IsAnErrorObjectThenNothing()
    {
        var events = RenderedEvent.Parse(Wire.RenderBody(new EmulatorReply().AddText("Half").WithStreamError("Boom", "server_error", "upstream")));

        JsonAssert.Equal("""{"error":{"message":"Boom","type":"server_error","code":"upstream"}}""", events[^1].Data);
    }

    [Fact]
    public void RawReasoningPhasedTextRefusalAndPolls_AreRenderedAsDocumented()
    {
        var reply = new EmulatorReply()
            .AddRawReasoning("Raw thought.", chunkSize: 100)
            .AddPhasedText("Working.", "commentary", chunkSize: 100)
            .AddRefusal("No.", chunkSize: 100)
            .WithPollsBeforeCompletion(2);

        var chat = JsonElement.Parse(Wire.RenderCompletion(reply)).GetProperty("choices")[0].GetProperty("message");
        var chatDeltas = Wire.RenderStream(reply)
            .Select(e => Encoding.UTF8.GetString(e.Data.Span))
            .Where(d => d.StartsWith('{'))
            .Select(d => JsonElement.Parse(d))
            .Where(d => d.GetProperty("choices").GetArrayLength() > 0)
            .Select(d => d.GetProperty("choices")[0].GetProperty("delta"))
            .ToList();

        Assert.Equal("Raw thought.", chat.GetProperty("reasoning_content").GetString());
        Assert.Equal("Working.", chat.GetProperty("content").GetString());
        Assert.Equal("No.", chat.GetProperty("refusal").GetString());
        Assert.Equal("No.", Assert.Single(chatDeltas, d => d.TryGetProperty("refusal", out _)).GetProperty("refusal").GetString());
    }

    [Fact]
    public void WithExtraFields_OfAToolCall_InItsFirstDeltaAndTheCompleteEntryOnly()
    {
        var reply = new EmulatorReply().AddToolCall("call_1", "f", """{"a":1}""", fragments: 2).WithExtraFields("""{"caller":{"type":"direct"}}""");

        var calls = RenderedEvent.Parse(Wire.RenderBody(reply))
            .Where(e => e.Data != "[DONE]" && e.Json.GetProperty("choices").GetArrayLength() > 0)
            .Select(e => e.Json.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out _))
            .Select(d => d.GetProperty("tool_calls")[0])
            .ToList();
        var entry = JsonDocument.Parse(Wire.RenderCompletion(reply)).RootElement
            .GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];

        Assert.True(calls.Count > 1);
        Assert.Equal([true, .. Enumerable.Repeat(false, calls.Count - 1)], calls.Select(c => c.TryGetProperty("caller", out _)));
        JsonAssert.Equal("""{"type":"direct"}""", entry.GetProperty("caller"));
    }
}
